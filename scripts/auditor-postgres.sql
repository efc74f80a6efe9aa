-- auditor-postgres.sql — a least-privileged PostgreSQL login for qrtz-audit (issue #17 part 2).
--
-- Run as a superuser (or a role with CREATEROLE that may grant SELECT on the Quartz tables), connected
-- to the Quartz database:
--   psql -v ON_ERROR_STOP=1 -v auditor=qrtz_auditor -v schema=quartz -v prefix=qrtz_ \
--        -d quartz -f scripts/auditor-postgres.sql
--   psql -d quartz -c '\password qrtz_auditor'       # then give it a password (never on a command line)
--
-- What the login gets, and why (the least every check needs):
--   LOGIN, INHERIT, nothing else   no superuser, createrole, createdb, replication or bypassrls
--   CONNECTION LIMIT 2             one audit at a time (plus a spare)
--   default_transaction_read_only  on for every session it opens (qrtz-audit sets it anyway)
--   CONNECT on the database        to connect
--   USAGE on the Quartz schema     to see the Quartz tables
--   SELECT on the Quartz tables    the blob, secret, job and health checks read their contents
--                                  (plain and partitioned tables whose names start with the prefix
--                                   only: never a view or function the database's owner placed there)
--   pg_read_all_settings           the pgaudit/log settings (QA-A*) and ssl file settings, which are
--                                  hidden from ordinary roles; without it those checks say
--                                  not-evaluated and name this role
-- Everything else qrtz-audit reads (pg_roles, ACLs, pg_settings, pg_stat_ssl of its own session,
-- catalogs) is readable by every role. Nothing here lets the login write anything.
\set ON_ERROR_STOP on
SELECT current_database() AS qrtz_db \gset
CREATE ROLE :"auditor" LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  CONNECTION LIMIT 2;
ALTER ROLE :"auditor" SET default_transaction_read_only = on;
GRANT CONNECT ON DATABASE :"qrtz_db" TO :"auditor";
GRANT USAGE ON SCHEMA :"schema" TO :"auditor";
GRANT pg_read_all_settings TO :"auditor";
SELECT pg_catalog.format('GRANT SELECT ON TABLE %I.%I TO %I', n.nspname, c.relname, :'auditor')
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = :'schema' AND c.relkind IN ('r', 'p')
   AND pg_catalog.lower(pg_catalog.left(c.relname, pg_catalog.length(:'prefix'))) = pg_catalog.lower(:'prefix')
 ORDER BY c.relname \gexec
