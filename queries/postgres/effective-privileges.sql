-- effective-privileges.sql — what every role (and PUBLIC) can effectively do on each Quartz table,
-- as PostgreSQL itself decides it: has_table_privilege / has_any_column_privilege account for
-- superusers, ownership, role membership with INHERIT, PUBLIC, column grants and
-- pg_read_all_data / pg_write_all_data / pg_maintain. $1 = table oids, $2 = privileges to test.
-- The functions are asked only for the roles that can hold a privilege (asking every role × table ×
-- privilege took seconds per thousand roles): per table and privilege, its holders — the grantees in
-- the table's ACL (the owner's defaults when NULL) and in its columns' ACLs, the owner, every
-- superuser, the predefined role that carries the privilege — and every role that is a member of a
-- holder, directly or through other roles (the database owner counting as pg_database_owner's
-- member; INHERIT is not looked at here: the functions decide). When PUBLIC holds a privilege every
-- role is asked; 'public' itself always is. Roles named pg_* are not reported.
-- Reads: pg_class (relacl, relowner), pg_attribute (attacl), pg_roles, pg_auth_members,
-- pg_database (datdba), privilege functions. Needs: nothing (every role may read these and call the
-- functions for any role).
WITH RECURSIVE
t AS (
  SELECT c.oid, c.relowner, c.relacl FROM pg_catalog.pg_class c WHERE c.oid = ANY ($1::oid[])
),
p AS (
  SELECT DISTINCT u.priv FROM pg_catalog.unnest($2::text[]) AS u(priv)
),
-- grantee 0 = PUBLIC
holders AS (
  SELECT t.oid, a.privilege_type AS priv, a.grantee AS role
  FROM t, LATERAL pg_catalog.aclexplode(coalesce(t.relacl, pg_catalog.acldefault('r', t.relowner))) a
  UNION
  SELECT at.attrelid, a.privilege_type, a.grantee
  FROM pg_catalog.pg_attribute at, LATERAL pg_catalog.aclexplode(at.attacl) a
  WHERE at.attrelid = ANY ($1::oid[]) AND at.attacl IS NOT NULL
  UNION
  SELECT t.oid, p.priv, t.relowner FROM t, p
  UNION
  SELECT t.oid, p.priv, r.oid
  FROM t, p, pg_catalog.pg_roles r
  WHERE r.rolsuper
     OR (r.rolname = 'pg_read_all_data' AND p.priv = 'SELECT')
     OR (r.rolname = 'pg_write_all_data' AND p.priv IN ('INSERT', 'UPDATE', 'DELETE'))
     OR (r.rolname = 'pg_maintain' AND p.priv = 'MAINTAIN')
),
edges AS (
  SELECT am.member, am.roleid FROM pg_catalog.pg_auth_members am
  UNION
  SELECT d.datdba, r.oid
  FROM pg_catalog.pg_database d, pg_catalog.pg_roles r
  WHERE d.datname = pg_catalog.current_database() AND r.rolname = 'pg_database_owner'
),
reach (oid, priv, role) AS (
  SELECT h.oid, h.priv, h.role FROM holders h WHERE h.role <> 0 AND h.priv IN (SELECT priv FROM p)
  UNION
  SELECT reach.oid, reach.priv, e.member FROM reach JOIN edges e ON e.roleid = reach.role
),
candidates AS (
  SELECT reach.oid, reach.priv, reach.role FROM reach
  UNION
  SELECT h.oid, h.priv, r.oid
  FROM holders h, pg_catalog.pg_roles r
  WHERE h.role = 0 AND h.priv IN (SELECT priv FROM p)
),
asked AS (
  SELECT r.rolname::text AS name, c.oid, c.priv
  FROM candidates c JOIN pg_catalog.pg_roles r ON r.oid = c.role
  WHERE r.rolname NOT LIKE 'pg\_%'
  UNION ALL
  SELECT 'public', t.oid, p.priv FROM t, p
)
SELECT a.name AS principal,
       a.oid::bigint AS oid,
       a.priv AS privilege
FROM asked a
WHERE CASE WHEN a.priv IN ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES')
           THEN pg_catalog.has_any_column_privilege(a.name, a.oid, a.priv)
           ELSE pg_catalog.has_table_privilege(a.name, a.oid, a.priv) END
ORDER BY 1, 2, 3;
