-- Reads: PAUSED_TRIGGER_GRPS: row count.
-- Needs: SELECT on the table ({{PAUSED_TRIGGER_GRPS}}).
-- {{NAME}} placeholders are replaced by src/dialects/shared/scheduler.ts with the quoted real table name.
SELECT COUNT(*) AS n
FROM {{PAUSED_TRIGGER_GRPS}};
