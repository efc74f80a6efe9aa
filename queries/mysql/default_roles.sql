-- default_roles.sql: MySQL 8 default roles (active at login without SET ROLE).
-- Reads: mysql.default_roles. Privilege: SELECT on mysql.default_roles.
SELECT HOST, USER, DEFAULT_ROLE_HOST, DEFAULT_ROLE_USER FROM mysql.default_roles
