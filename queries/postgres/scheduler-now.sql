-- Reads: the database clock as Unix milliseconds (for misfire and check-in ages).
-- Needs: no privilege.
-- {{NAME}} placeholders are replaced by src/dialects/shared/scheduler.ts with the quoted real table name.
SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT) AS now_ms;
