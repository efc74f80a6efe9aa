-- shadow_routines.sql: stored functions and procedures in the Quartz database named like built-in functions
-- (LOWER, CONCAT, SUBSTRING…). MySQL/MariaDB always resolve an unqualified built-in name to the built-in (a stored
-- function of that name is callable only as db.func), and no statement of this tool calls a stored routine, but a
-- routine shadowing a built-in is a trap for whoever runs SQL in that database: it is reported as tamper.
-- Reads: information_schema.ROUTINES (metadata only; ROUTINE_DEFINITION is not read).
-- Privilege: any privilege on the routine (rows for routines the account cannot see are hidden).
-- Parameters: database name; list of upper-case built-in function names.
SELECT ROUTINE_NAME, ROUTINE_TYPE, DEFINER, SECURITY_TYPE
FROM information_schema.ROUTINES
WHERE ROUTINE_SCHEMA = ? AND UPPER(ROUTINE_NAME) IN (?)
ORDER BY ROUTINE_NAME
