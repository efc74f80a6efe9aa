-- Reads: TRIGGERS: the largest START_TIME (decides .NET ticks vs Unix ms).
-- Needs: SELECT on the table ({{TRIGGERS}}).
-- {{NAME}} placeholders are replaced by src/dialects/shared/scheduler.ts with the quoted real table name.
SELECT CAST(MAX(START_TIME) AS TEXT) AS max_start
FROM {{TRIGGERS}};
