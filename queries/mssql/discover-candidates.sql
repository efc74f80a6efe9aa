-- discover-candidates.sql: user tables that look like a Quartz LOCKS table under another prefix or schema
-- (a table whose name ends in LOCKS with SCHED_NAME and LOCK_NAME columns), for the "no Quartz tables" hint.
-- Reads: sys.tables, sys.schemas, sys.columns. Permission: as quartz-objects.sql.
SELECT s.name AS schema_name, t.name
FROM sys.tables AS t
INNER JOIN sys.schemas AS s ON s.schema_id = t.schema_id
WHERE UPPER(t.name) LIKE N'%LOCKS'
  AND EXISTS (SELECT 1 FROM sys.columns AS c WHERE c.object_id = t.object_id AND UPPER(c.name) = N'SCHED_NAME')
  AND EXISTS (SELECT 1 FROM sys.columns AS c2 WHERE c2.object_id = t.object_id AND UPPER(c2.name) = N'LOCK_NAME')
