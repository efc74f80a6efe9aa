-- scheduler-paused-groups.sql: scheduler state for QA-H01…H05 (table contents, read under the content isolation level).
-- Reads: PAUSED_TRIGGER_GRPS: paused trigger groups, bounded.
-- Permission: SELECT on the table ({{PAUSED_TRIGGER_GRPS}}).
-- {{NAME}} placeholders are replaced by src/dialects/shared/scheduler.ts with the quoted real table name ([schema].[name]).
SELECT TOP (1000) SCHED_NAME AS sched, TRIGGER_GROUP AS grp
FROM {{PAUSED_TRIGGER_GRPS}}
ORDER BY SCHED_NAME, TRIGGER_GROUP;
