-- applicable_roles.sql: roles the current account can use (own view; fallback when mysql.* is not readable).
-- Reads: information_schema.APPLICABLE_ROLES (MariaDB: GRANTEE, ROLE_NAME, IS_GRANTABLE, IS_DEFAULT;
--        MySQL 8.0.19+: also ROLE_HOST). Privilege: none.
SELECT * FROM information_schema.APPLICABLE_ROLES
