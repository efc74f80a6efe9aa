-- table_privileges.sql: table-level privileges (ON db.table).
-- Reads: information_schema.TABLE_PRIVILEGES. Privilege: own rows always; all rows need SELECT on mysql.tables_priv.
SELECT GRANTEE, TABLE_SCHEMA, TABLE_NAME, PRIVILEGE_TYPE, IS_GRANTABLE FROM information_schema.TABLE_PRIVILEGES
