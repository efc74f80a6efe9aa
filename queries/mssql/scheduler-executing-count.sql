-- scheduler-executing-count.sql: scheduler state for QA-H01…H05 (table contents, read under the content isolation level).
-- Reads: FIRED_TRIGGERS: count of entries in STATE 'EXECUTING'.
-- Permission: SELECT on the table ({{FIRED_TRIGGERS}}).
-- {{NAME}} placeholders are replaced by src/dialects/shared/scheduler.ts with the quoted real table name ([schema].[name]).
SELECT COUNT(*) AS n
FROM {{FIRED_TRIGGERS}}
WHERE STATE = 'EXECUTING';
