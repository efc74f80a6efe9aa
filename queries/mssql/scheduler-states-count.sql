-- scheduler-states-count.sql: scheduler state for QA-H01…H05 (table contents, read under the content isolation level).
-- Reads: SCHEDULER_STATE: row count.
-- Permission: SELECT on the table ({{SCHEDULER_STATE}}).
-- {{NAME}} placeholders are replaced by src/dialects/shared/scheduler.ts with the quoted real table name ([schema].[name]).
SELECT COUNT(*) AS n
FROM {{SCHEDULER_STATE}};
