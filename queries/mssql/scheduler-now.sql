-- scheduler-now.sql: scheduler state for QA-H01…H05 (table contents, read under the content isolation level).
-- Reads: the database clock as Unix milliseconds (for misfire and check-in ages); DATEDIFF_BIG needs SQL Server 2016+.
-- Permission: none.
-- {{NAME}} placeholders are replaced by src/dialects/shared/scheduler.ts with the quoted real table name ([schema].[name]).
SELECT DATEDIFF_BIG(MILLISECOND, CAST('1970-01-01T00:00:00' AS DATETIME2), SYSUTCDATETIME()) AS now_ms;
