-- discover-candidates.sql — where Quartz tables might be when none match the given schema and prefix:
-- every table whose name ends in "locks" and that has the columns sched_name and lock_name.
-- Reads: pg_class, pg_namespace, pg_attribute. Needs: nothing.
SELECT n.nspname AS schema,
       left(c.relname, length(c.relname) - 5) AS prefix
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')
  AND lower(c.relname) LIKE '%locks'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND lower(a.attname) = 'sched_name')
  AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND lower(a.attname) = 'lock_name')
ORDER BY 1, 2
LIMIT 50;
