-- global_grants.sql: MySQL 8 dynamic global privileges (SYSTEM_VARIABLES_ADMIN, CONNECTION_ADMIN, ROLE_ADMIN…).
-- Reads: mysql.global_grants (USER, HOST, PRIV, WITH_GRANT_OPTION). Privilege: SELECT on mysql.global_grants.
SELECT USER, HOST, PRIV, WITH_GRANT_OPTION FROM mysql.global_grants
