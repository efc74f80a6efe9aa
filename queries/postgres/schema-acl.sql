-- schema-acl.sql — grants on the Quartz schema as stored (grantor, grantee, grant option); '' = PUBLIC.
-- $1 = schema name. Reads: pg_namespace.nspacl. Needs: nothing.
SELECT coalesce(pg_get_userbyid(NULLIF(a.grantee, 0))::text, '') AS grantee,
       pg_get_userbyid(a.grantor)::text AS grantor,
       a.privilege_type AS privilege,
       a.is_grantable AS grantable
FROM pg_namespace n,
     LATERAL aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
WHERE n.nspname = $1;
