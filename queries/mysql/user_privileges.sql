-- user_privileges.sql: global privileges (ON *.*).
-- Reads: information_schema.USER_PRIVILEGES (GRANTEE 'user'@'host', PRIVILEGE_TYPE, IS_GRANTABLE).
-- Privilege: none for the own rows; all accounts' rows need SELECT on mysql.user.
SELECT GRANTEE, PRIVILEGE_TYPE, IS_GRANTABLE FROM information_schema.USER_PRIVILEGES
