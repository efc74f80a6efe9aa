-- memberships.sql — direct role memberships with their options. PostgreSQL 16+ stores INHERIT per
-- membership (inherit_option); before 16 it comes from the member's rolinherit. to_jsonb() reads the
-- column where it exists, so one statement serves every version.
-- Reads: pg_auth_members, pg_roles. Needs: nothing.
SELECT r.rolname::text AS role,
       m.rolname::text AS member,
       am.admin_option AS admin,
       coalesce((to_jsonb(am) ->> 'inherit_option')::boolean, m.rolinherit) AS inherit
FROM pg_auth_members am
JOIN pg_roles r ON r.oid = am.roleid
JOIN pg_roles m ON m.oid = am.member
ORDER BY 1, 2;
