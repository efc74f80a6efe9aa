-- shadow-objects.sql — relations (tables, views…) and their schemas that carry a Quartz table name in
-- schemas other than the Quartz schema; the adapter keeps those in schemas searched before it.
-- $1 = lower-case Quartz table names, $2 = Quartz schema.
-- Reads: pg_class, pg_namespace. Needs: nothing.
SELECT n.nspname::text AS schema, c.relname::text AS name, c.relkind::text AS relkind,
       pg_get_userbyid(c.relowner)::text AS owner
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE pg_catalog.lower(c.relname::pg_catalog.text) = ANY ($1::text[])
  AND n.nspname <> $2
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
ORDER BY 1, 2;
