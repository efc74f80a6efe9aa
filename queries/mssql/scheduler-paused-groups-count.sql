-- scheduler-paused-groups-count.sql: scheduler state for QA-H01…H05 (table contents, read under the content isolation level).
-- Reads: PAUSED_TRIGGER_GRPS: row count.
-- Permission: SELECT on the table ({{PAUSED_TRIGGER_GRPS}}).
-- {{NAME}} placeholders are replaced by src/dialects/shared/scheduler.ts with the quoted real table name ([schema].[name]).
SELECT COUNT(*) AS n
FROM {{PAUSED_TRIGGER_GRPS}};
