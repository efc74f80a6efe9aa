-- Reads: SCHEDULER_STATE: row count.
-- Needs: read access to the database file (SQLite has no privileges) ({{SCHEDULER_STATE}}).
-- {{NAME}} placeholders are replaced by src/dialects/shared/scheduler.ts with the quoted real table name.
SELECT COUNT(*) AS n
FROM {{SCHEDULER_STATE}};
