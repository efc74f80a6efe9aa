-- discover-tables.sql — the Quartz tables in one schema, by exact (case-insensitive) name.
-- $1 = schema name, $2 = lower-case expected names (prefix + table), compared exactly: no LIKE, so the
-- `_` of QRTZ_ is never a wildcard. Also returns owner and access method (Percona pg_tde uses tde_heap).
-- Reads: pg_class, pg_namespace, pg_am. Needs: nothing (catalogs are readable by every role).
SELECT n.nspname AS schema,
       c.relname AS name,
       c.oid::bigint AS oid,
       c.relkind::text AS relkind,
       pg_get_userbyid(c.relowner)::text AS owner,
       am.amname::text AS access_method,
       c.relrowsecurity AS row_security
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_am am ON am.oid = c.relam
WHERE n.nspname = $1
  AND lower(c.relname) = ANY ($2::text[])
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
ORDER BY c.relname;
