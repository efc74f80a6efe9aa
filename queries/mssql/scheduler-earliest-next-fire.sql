-- scheduler-earliest-next-fire.sql: scheduler state for QA-H01…H05 (table contents, read under the content isolation level).
-- Reads: TRIGGERS: WAITING/ACQUIRED triggers with the earliest NEXT_FIRE_TIME (misfires), bounded.
-- Permission: SELECT on the table ({{TRIGGERS}}).
-- {{NAME}} placeholders are replaced by src/dialects/shared/scheduler.ts with the quoted real table name ([schema].[name]).
SELECT TOP (1000) SCHED_NAME AS sched, TRIGGER_GROUP AS grp, TRIGGER_NAME AS name, JOB_GROUP AS job_group,
       JOB_NAME AS job_name, TRIGGER_STATE AS state, CAST(NEXT_FIRE_TIME AS VARCHAR(20)) AS next_fire
FROM {{TRIGGERS}}
WHERE TRIGGER_STATE IN ('WAITING', 'ACQUIRED') AND NEXT_FIRE_TIME IS NOT NULL
ORDER BY NEXT_FIRE_TIME ASC;
