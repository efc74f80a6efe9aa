-- schema_privileges.sql: database-level privileges (ON db.*; TABLE_SCHEMA may be a LIKE pattern, e.g. quartz\_%).
-- Reads: information_schema.SCHEMA_PRIVILEGES. Privilege: own rows always; all rows need SELECT on mysql.db.
SELECT GRANTEE, TABLE_SCHEMA, PRIVILEGE_TYPE, IS_GRANTABLE FROM information_schema.SCHEMA_PRIVILEGES
