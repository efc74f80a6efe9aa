-- Reads: PAUSED_TRIGGER_GRPS: paused trigger groups, bounded.
-- Needs: SELECT on the table ({{PAUSED_TRIGGER_GRPS}}).
-- {{NAME}} placeholders are replaced by src/dialects/shared/scheduler.ts with the quoted real table name.
SELECT SCHED_NAME AS sched, TRIGGER_GROUP AS grp
FROM {{PAUSED_TRIGGER_GRPS}}
ORDER BY SCHED_NAME, TRIGGER_GROUP
LIMIT 1000;
