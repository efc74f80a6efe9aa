-- Reads: the database clock as Unix milliseconds (for misfire and check-in ages).
-- Needs: no privilege.
-- {{NAME}} placeholders are replaced by src/dialects/shared/scheduler.ts with the quoted real table name.
SELECT CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) AS now_ms;
