-- Reads: FIRED_TRIGGERS: count of entries in STATE 'EXECUTING'.
-- Needs: read access to the database file (SQLite has no privileges) ({{FIRED_TRIGGERS}}).
-- {{NAME}} placeholders are replaced by src/dialects/shared/scheduler.ts with the quoted real table name.
SELECT COUNT(*) AS n
FROM {{FIRED_TRIGGERS}}
WHERE STATE = 'EXECUTING';
