-- Reads: SCHEDULER_STATE: scheduler instances with last check-in and check-in interval (ms), bounded.
-- Needs: SELECT on the table ({{SCHEDULER_STATE}}).
-- {{NAME}} placeholders are replaced by src/dialects/shared/scheduler.ts with the quoted real table name.
SELECT SCHED_NAME AS sched, INSTANCE_NAME AS instance, CAST(LAST_CHECKIN_TIME AS TEXT) AS last_checkin,
       CAST(CHECKIN_INTERVAL AS TEXT) AS checkin_interval
FROM {{SCHEDULER_STATE}}
ORDER BY LAST_CHECKIN_TIME ASC
LIMIT 1000;
