-- discover-candidates.sql — where Quartz tables might be when none match the given schema and prefix:
-- every table whose name ends in "locks" and that has the columns sched_name and lock_name.
-- Reads: pg_class, pg_namespace, pg_attribute. Needs: nothing.
SELECT n.nspname AS schema,
       pg_catalog.left(c.relname::pg_catalog.text, pg_catalog.length(c.relname::pg_catalog.text) - 5) AS prefix
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')
  AND pg_catalog.lower(c.relname::pg_catalog.text) LIKE '%locks'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND pg_catalog.lower(a.attname::pg_catalog.text) = 'sched_name')
  AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND pg_catalog.lower(a.attname::pg_catalog.text) = 'lock_name')
ORDER BY 1, 2
LIMIT 50;
