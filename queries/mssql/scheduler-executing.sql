-- scheduler-executing.sql: scheduler state for QA-H01…H05 (table contents, read under the content isolation level).
-- Reads: FIRED_TRIGGERS: entries in STATE 'EXECUTING', oldest FIRED_TIME first, bounded.
-- Permission: SELECT on the table ({{FIRED_TRIGGERS}}).
-- {{NAME}} placeholders are replaced by src/dialects/shared/scheduler.ts with the quoted real table name ([schema].[name]).
SELECT TOP (1000) SCHED_NAME AS sched, ENTRY_ID AS entry_id, TRIGGER_GROUP AS grp, TRIGGER_NAME AS name,
       INSTANCE_NAME AS instance, JOB_GROUP AS job_group, JOB_NAME AS job_name, CAST(FIRED_TIME AS VARCHAR(20)) AS fired
FROM {{FIRED_TRIGGERS}}
WHERE STATE = 'EXECUTING'
ORDER BY FIRED_TIME ASC;
