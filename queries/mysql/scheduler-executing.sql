-- Reads: FIRED_TRIGGERS: entries in STATE 'EXECUTING', oldest FIRED_TIME first, bounded.
-- Needs: SELECT on the table ({{FIRED_TRIGGERS}}).
-- {{NAME}} placeholders are replaced by src/dialects/shared/scheduler.ts with the quoted real table name.
SELECT SCHED_NAME AS sched, ENTRY_ID AS entry_id, TRIGGER_GROUP AS grp, TRIGGER_NAME AS name, INSTANCE_NAME AS instance,
       JOB_GROUP AS job_group, JOB_NAME AS job_name, CAST(FIRED_TIME AS CHAR) AS fired
FROM {{FIRED_TRIGGERS}}
WHERE STATE = 'EXECUTING'
ORDER BY FIRED_TIME ASC
LIMIT 1000;
