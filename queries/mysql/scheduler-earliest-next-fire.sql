-- Reads: TRIGGERS: WAITING/ACQUIRED triggers with the earliest NEXT_FIRE_TIME (misfires), bounded.
-- Needs: SELECT on the table ({{TRIGGERS}}).
-- {{NAME}} placeholders are replaced by src/dialects/shared/scheduler.ts with the quoted real table name.
SELECT SCHED_NAME AS sched, TRIGGER_GROUP AS grp, TRIGGER_NAME AS name, JOB_GROUP AS job_group, JOB_NAME AS job_name,
       TRIGGER_STATE AS state, CAST(NEXT_FIRE_TIME AS CHAR) AS next_fire
FROM {{TRIGGERS}}
WHERE TRIGGER_STATE IN ('WAITING', 'ACQUIRED') AND NEXT_FIRE_TIME IS NOT NULL
ORDER BY NEXT_FIRE_TIME ASC
LIMIT 1000;
