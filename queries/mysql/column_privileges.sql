-- column_privileges.sql: column-level privileges (GRANT SELECT (col) ON db.table).
-- Reads: information_schema.COLUMN_PRIVILEGES. Privilege: own rows always; all rows need SELECT on mysql.columns_priv.
SELECT GRANTEE, TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, PRIVILEGE_TYPE, IS_GRANTABLE
FROM information_schema.COLUMN_PRIVILEGES
