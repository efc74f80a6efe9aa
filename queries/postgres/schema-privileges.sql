-- schema-privileges.sql — owner and ACL of the Quartz schema, and who can CREATE in it (a role that
-- can create there can shadow or replace Quartz objects). $1 = schema name.
-- Reads: pg_namespace, has_schema_privilege. Needs: nothing.
SELECT n.nspname::text AS schema,
       pg_get_userbyid(n.nspowner)::text AS owner,
       r.name AS principal,
       has_schema_privilege(r.name, n.oid, 'CREATE') AS can_create,
       has_schema_privilege(r.name, n.oid, 'USAGE') AS can_use
FROM pg_namespace n
CROSS JOIN (SELECT rolname::text AS name FROM pg_roles WHERE rolname NOT LIKE 'pg\_%' UNION ALL SELECT 'public') r
WHERE n.nspname = $1
ORDER BY 3;
