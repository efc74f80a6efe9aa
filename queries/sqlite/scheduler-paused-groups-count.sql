-- Reads: PAUSED_TRIGGER_GRPS: row count.
-- Needs: read access to the database file (SQLite has no privileges) ({{PAUSED_TRIGGER_GRPS}}).
-- {{NAME}} placeholders are replaced by src/dialects/shared/scheduler.ts with the quoted real table name.
SELECT COUNT(*) AS n
FROM {{PAUSED_TRIGGER_GRPS}};
