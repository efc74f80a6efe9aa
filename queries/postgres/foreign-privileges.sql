-- foreign-privileges.sql — what the service account can do outside the Quartz tables: tables, views
-- and sequences in non-system schemas where it holds a privilege (directly, through roles or PUBLIC,
-- or as owner), and functions it may execute through a grant to itself or one of its roles (EXECUTE
-- to PUBLIC is PostgreSQL's default for every function and is not listed).
-- $1 = role name, $2 = Quartz table oids. Reads: pg_class, pg_proc, privilege functions. Needs: nothing.
SELECT CASE WHEN c.relkind = 'S' THEN 'sequence' ELSE 'table' END AS kind,
       n.nspname || '.' || c.relname AS object,
       array_to_string(ARRAY(
         SELECT p FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) p
         WHERE CASE WHEN c.relkind = 'S' THEN p IN ('SELECT', 'UPDATE') AND has_sequence_privilege($1, c.oid, p)
                    ELSE has_table_privilege($1, c.oid, p) END), ',') AS privileges,
       pg_has_role($1, c.relowner, 'USAGE') AS owner
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp%'
  AND c.oid <> ALL ($2::oid[])
  AND (has_table_privilege($1, c.oid, 'SELECT,INSERT,UPDATE,DELETE,TRUNCATE') OR pg_has_role($1, c.relowner, 'USAGE'))
UNION ALL
SELECT 'function', n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
       'EXECUTE', pg_has_role($1, p.proowner, 'USAGE')
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND (pg_has_role($1, p.proowner, 'USAGE')
       OR EXISTS (SELECT 1 FROM aclexplode(p.proacl) a WHERE a.grantee <> 0 AND a.privilege_type = 'EXECUTE'
                  AND pg_has_role($1, a.grantee, 'USAGE')))
ORDER BY 1, 2
LIMIT 500;
