-- Reads: TRIGGERS: triggers in ERROR state (keys and next fire time), bounded.
-- Needs: SELECT on the table ({{TRIGGERS}}).
-- {{NAME}} placeholders are replaced by src/dialects/shared/scheduler.ts with the quoted real table name.
SELECT SCHED_NAME AS sched, TRIGGER_GROUP AS grp, TRIGGER_NAME AS name, JOB_GROUP AS job_group, JOB_NAME AS job_name,
       TRIGGER_STATE AS state, CAST(NEXT_FIRE_TIME AS CHAR) AS next_fire
FROM {{TRIGGERS}}
WHERE TRIGGER_STATE = 'ERROR'
ORDER BY SCHED_NAME, TRIGGER_GROUP, TRIGGER_NAME
LIMIT 1000;
