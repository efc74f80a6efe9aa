-- Reads: FIRED_TRIGGERS: count of entries in STATE 'EXECUTING'.
-- Needs: SELECT on the table ({{FIRED_TRIGGERS}}).
-- {{NAME}} placeholders are replaced by src/dialects/shared/scheduler.ts with the quoted real table name.
SELECT COUNT(*) AS n
FROM {{FIRED_TRIGGERS}}
WHERE STATE = 'EXECUTING';
