-- default-privileges.sql — ALTER DEFAULT PRIVILEGES entries that apply to new objects created in the
-- Quartz schema (or in every schema), which re-created QRTZ tables inherit. '' = PUBLIC. $1 = schema.
-- Reads: pg_default_acl. Needs: nothing.
SELECT pg_get_userbyid(d.defaclrole)::text AS owner,
       n.nspname::text AS schema,
       d.defaclobjtype::text AS objtype,
       coalesce(pg_get_userbyid(NULLIF(a.grantee, 0))::text, '') AS grantee,
       a.privilege_type AS privilege
FROM pg_default_acl d
LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
CROSS JOIN LATERAL aclexplode(d.defaclacl) a
WHERE d.defaclnamespace = 0 OR n.nspname = $1
ORDER BY 1, 2, 3, 4, 5;
