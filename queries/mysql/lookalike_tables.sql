-- lookalike_tables.sql: tables anywhere that look like Quartz lock tables (name ending in LOCKS with columns
-- SCHED_NAME and LOCK_NAME), to suggest schema.prefix pairs when the requested tables are not found.
-- Reads: information_schema.COLUMNS. Privilege: any privilege on those tables.
SELECT TABLE_SCHEMA, TABLE_NAME
FROM information_schema.COLUMNS
WHERE UPPER(TABLE_NAME) LIKE '%LOCKS' AND UPPER(COLUMN_NAME) IN ('SCHED_NAME', 'LOCK_NAME')
GROUP BY TABLE_SCHEMA, TABLE_NAME
HAVING COUNT(*) = 2
ORDER BY TABLE_SCHEMA, TABLE_NAME
LIMIT 50
