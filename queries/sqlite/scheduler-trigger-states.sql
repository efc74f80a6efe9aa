-- Reads: TRIGGERS: trigger count per TRIGGER_STATE.
-- Needs: read access to the database file (SQLite has no privileges) ({{TRIGGERS}}).
-- {{NAME}} placeholders are replaced by src/dialects/shared/scheduler.ts with the quoted real table name.
SELECT TRIGGER_STATE AS state, COUNT(*) AS n
FROM {{TRIGGERS}}
GROUP BY TRIGGER_STATE;
