-- scheduler-time-sample.sql: scheduler state for QA-H01…H05 (table contents, read under the content isolation level).
-- Reads: TRIGGERS: the largest START_TIME (decides .NET ticks vs Unix ms).
-- Permission: SELECT on the table ({{TRIGGERS}}).
-- {{NAME}} placeholders are replaced by src/dialects/shared/scheduler.ts with the quoted real table name ([schema].[name]).
SELECT CAST(MAX(START_TIME) AS VARCHAR(20)) AS max_start
FROM {{TRIGGERS}};
