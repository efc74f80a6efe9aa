-- scheduler-trigger-states.sql: scheduler state for QA-H01…H05 (table contents, read under the content isolation level).
-- Reads: TRIGGERS: trigger count per TRIGGER_STATE.
-- Permission: SELECT on the table ({{TRIGGERS}}).
-- {{NAME}} placeholders are replaced by src/dialects/shared/scheduler.ts with the quoted real table name ([schema].[name]).
SELECT TRIGGER_STATE AS state, COUNT(*) AS n
FROM {{TRIGGERS}}
GROUP BY TRIGGER_STATE;
