-- roles.sql — every role and its attributes (pg_roles masks passwords).
-- Reads: pg_roles. Needs: nothing.
SELECT rolname::text AS name,
       rolsuper AS superuser,
       rolinherit AS inherit,
       rolcreaterole AS createrole,
       rolcreatedb AS createdb,
       rolcanlogin AS canlogin,
       rolreplication AS replication,
       rolbypassrls AS bypassrls,
       rolconnlimit AS connlimit
FROM pg_roles
ORDER BY rolname;
