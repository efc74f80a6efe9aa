-- effective-privileges.sql — what every role (and PUBLIC) can effectively do on each Quartz table,
-- as PostgreSQL itself decides it: has_table_privilege / has_any_column_privilege account for
-- superusers, ownership, role membership with INHERIT, PUBLIC, column grants and
-- pg_read_all_data / pg_write_all_data. $1 = table oids, $2 = privileges to test.
-- Reads: pg_roles, privilege functions. Needs: nothing (they may be called for any role).
SELECT r.name AS principal,
       t.oid::bigint AS oid,
       p.priv AS privilege
FROM (SELECT rolname::text AS name FROM pg_roles WHERE rolname NOT LIKE 'pg\_%' UNION ALL SELECT 'public') r
CROSS JOIN unnest($1::oid[]) AS t(oid)
CROSS JOIN unnest($2::text[]) AS p(priv)
WHERE CASE WHEN p.priv IN ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES')
           THEN has_any_column_privilege(r.name, t.oid, p.priv)
           ELSE has_table_privilege(r.name, t.oid, p.priv) END
ORDER BY 1, 2, 3;
