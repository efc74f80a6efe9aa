-- table-acl.sql — the privileges granted on the Quartz tables, as stored in their ACLs (grantor,
-- grantee, grant option). A NULL ACL means the owner's default privileges (acldefault).
-- grantee '' = PUBLIC. $1 = table oids.
-- Reads: pg_class.relacl, pg_attribute.attacl (column grants). Needs: nothing.
SELECT c.oid::bigint AS oid,
       NULL::text AS column_name,
       coalesce(pg_get_userbyid(NULLIF(a.grantee, 0))::text, '') AS grantee,
       pg_get_userbyid(a.grantor)::text AS grantor,
       a.privilege_type AS privilege,
       a.is_grantable AS grantable
FROM pg_class c,
     LATERAL aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a
WHERE c.oid = ANY ($1::oid[])
UNION ALL
SELECT at.attrelid::bigint, at.attname::text,
       coalesce(pg_get_userbyid(NULLIF(a.grantee, 0))::text, ''),
       pg_get_userbyid(a.grantor)::text,
       a.privilege_type,
       a.is_grantable
FROM pg_attribute at,
     LATERAL aclexplode(at.attacl) a
WHERE at.attrelid = ANY ($1::oid[]) AND at.attacl IS NOT NULL AND NOT at.attisdropped
ORDER BY 1, 2 NULLS FIRST, 3, 5;
