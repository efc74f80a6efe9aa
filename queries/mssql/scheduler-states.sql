-- scheduler-states.sql: scheduler state for QA-H01…H05 (table contents, read under the content isolation level).
-- Reads: SCHEDULER_STATE: scheduler instances with last check-in and check-in interval (ms), bounded.
-- Permission: SELECT on the table ({{SCHEDULER_STATE}}).
-- {{NAME}} placeholders are replaced by src/dialects/shared/scheduler.ts with the quoted real table name ([schema].[name]).
SELECT TOP (1000) SCHED_NAME AS sched, INSTANCE_NAME AS instance, CAST(LAST_CHECKIN_TIME AS VARCHAR(20)) AS last_checkin,
       CAST(CHECKIN_INTERVAL AS VARCHAR(20)) AS checkin_interval
FROM {{SCHEDULER_STATE}}
ORDER BY LAST_CHECKIN_TIME ASC;
