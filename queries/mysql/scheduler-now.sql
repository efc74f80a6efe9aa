-- Reads: the database clock as Unix milliseconds (for misfire and check-in ages).
-- Needs: no privilege.
-- {{NAME}} placeholders are replaced by src/dialects/shared/scheduler.ts with the quoted real table name.
SELECT CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED) AS now_ms;
