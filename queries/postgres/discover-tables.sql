-- discover-tables.sql — the relations in one schema named like Quartz tables, by exact
-- (case-insensitive) name. $1 = schema name, $2 = lower-case expected names (prefix + table), compared
-- exactly: no LIKE, so the `_` of QRTZ_ is never a wildcard. Views, materialized views and foreign
-- tables are returned too (relkind) so the adapter can report them as tamper and never read them.
-- Also returns owner and access method (Percona pg_tde uses tde_heap), and every descendant
-- (inheritance child or partition, at any depth) that is not a plain or partitioned table.
-- Runs with search_path = pg_catalog, pg_temp; built-ins are schema-qualified all the same.
-- Reads: pg_class, pg_namespace, pg_am, pg_inherits. Needs: nothing (catalogs are readable by every role).
WITH RECURSIVE quartz AS (
  SELECT c.oid, n.nspname, c.relname, c.relkind, c.relowner, c.relam, c.relrowsecurity
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
  WHERE n.nspname OPERATOR(pg_catalog.=) $1::pg_catalog.name
    AND pg_catalog.lower(c.relname::pg_catalog.text) OPERATOR(pg_catalog.=) ANY ($2::pg_catalog.text[])
    AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
), descendants AS (
  SELECT q.oid AS root, i.inhrelid AS child FROM quartz q
  JOIN pg_catalog.pg_inherits i ON i.inhparent OPERATOR(pg_catalog.=) q.oid
  UNION
  SELECT d.root, i.inhrelid FROM descendants d
  JOIN pg_catalog.pg_inherits i ON i.inhparent OPERATOR(pg_catalog.=) d.child
)
SELECT q.nspname::pg_catalog.text AS schema,
       q.relname::pg_catalog.text AS name,
       q.oid::pg_catalog.int8 AS oid,
       q.relkind::pg_catalog.text AS relkind,
       pg_catalog.pg_get_userbyid(q.relowner)::pg_catalog.text AS owner,
       am.amname::pg_catalog.text AS access_method,
       q.relrowsecurity AS row_security,
       (SELECT pg_catalog.string_agg(cn.nspname::pg_catalog.text OPERATOR(pg_catalog.||) '.'
                 OPERATOR(pg_catalog.||) cc.relname::pg_catalog.text OPERATOR(pg_catalog.||) ' ('
                 OPERATOR(pg_catalog.||) cc.relkind::pg_catalog.text OPERATOR(pg_catalog.||) ', owner '
                 OPERATOR(pg_catalog.||) pg_catalog.pg_get_userbyid(cc.relowner)::pg_catalog.text
                 OPERATOR(pg_catalog.||) ')', ', ')
          FROM descendants d
          JOIN pg_catalog.pg_class cc ON cc.oid OPERATOR(pg_catalog.=) d.child
          JOIN pg_catalog.pg_namespace cn ON cn.oid OPERATOR(pg_catalog.=) cc.relnamespace
         WHERE d.root OPERATOR(pg_catalog.=) q.oid AND cc.relkind NOT IN ('r', 'p')) AS odd_descendants
FROM quartz q
LEFT JOIN pg_catalog.pg_am am ON am.oid OPERATOR(pg_catalog.=) q.relam
ORDER BY q.relname;
