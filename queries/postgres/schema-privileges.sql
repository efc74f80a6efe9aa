-- schema-privileges.sql — owner and ACL of the Quartz schema, and who can CREATE in it (a role that
-- can create there can shadow or replace Quartz objects). $1 = schema name.
-- One row per role that can hold CREATE there, and one for 'public' (so the owner is read even when
-- no role can create): has_schema_privilege decides, asked only for the holders of CREATE — the
-- grantees in the schema's ACL (the owner's defaults when NULL), the owner, every superuser — and
-- every role that is a member of one, directly or through other roles (the database owner counting as
-- pg_database_owner's member); every role when PUBLIC holds CREATE. Asking every role took seconds
-- at 10,000 roles. Roles named pg_* are not reported.
-- Reads: pg_namespace (nspacl, nspowner), pg_roles, pg_auth_members, pg_database (datdba),
-- has_schema_privilege. Needs: nothing.
WITH RECURSIVE
n AS (
  SELECT ns.oid, ns.nspname, ns.nspowner, ns.nspacl FROM pg_catalog.pg_namespace ns WHERE ns.nspname = $1
),
-- grantee 0 = PUBLIC
holders AS (
  SELECT a.grantee AS role
  FROM n, LATERAL pg_catalog.aclexplode(coalesce(n.nspacl, pg_catalog.acldefault('n', n.nspowner))) a
  WHERE a.privilege_type = 'CREATE'
  UNION
  SELECT n.nspowner FROM n
  UNION
  SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolsuper
),
edges AS (
  SELECT am.member, am.roleid FROM pg_catalog.pg_auth_members am
  UNION
  SELECT d.datdba, r.oid
  FROM pg_catalog.pg_database d, pg_catalog.pg_roles r
  WHERE d.datname = pg_catalog.current_database() AND r.rolname = 'pg_database_owner'
),
reach (role) AS (
  SELECT h.role FROM holders h WHERE h.role <> 0
  UNION
  SELECT e.member FROM reach JOIN edges e ON e.roleid = reach.role
),
candidates AS (
  SELECT reach.role FROM reach
  UNION
  SELECT r.oid FROM pg_catalog.pg_roles r WHERE EXISTS (SELECT 1 FROM holders h WHERE h.role = 0)
),
asked AS (
  SELECT r.rolname::text AS name
  FROM candidates c JOIN pg_catalog.pg_roles r ON r.oid = c.role
  WHERE r.rolname NOT LIKE 'pg\_%'
  UNION ALL
  SELECT 'public'
)
SELECT n.nspname::text AS schema,
       pg_catalog.pg_get_userbyid(n.nspowner)::text AS owner,
       a.name AS principal,
       pg_catalog.has_schema_privilege(a.name, n.oid, 'CREATE') AS can_create,
       pg_catalog.has_schema_privilege(a.name, n.oid, 'USAGE') AS can_use
FROM n CROSS JOIN asked a
ORDER BY 3;
