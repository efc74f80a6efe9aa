-- quartz_tables.sql: every relation in the target database under a Quartz table name, matched case-insensitively
-- on the exact name (prefix + logical name, e.g. QRTZ_JOB_DETAILS), so `_` in the prefix is never a LIKE wildcard.
-- TABLE_TYPE tells base tables from views (and MariaDB sequences): only BASE TABLE (and MariaDB's SYSTEM
-- VERSIONED tables) are ever read; anything else is reported as tamper. VIEW_DEFINER names a view's owner.
-- Reads: information_schema.TABLES and VIEWS (metadata only: no view or stored routine is evaluated);
-- CREATE_OPTIONS shows ENCRYPTION='Y' / ENCRYPTED=YES.
-- Privilege: any privilege on the tables (information_schema shows only tables the account can see).
-- Parameters: database name; list of upper-case table names.
SELECT t.TABLE_SCHEMA, t.TABLE_NAME, t.TABLE_TYPE, t.ENGINE, t.CREATE_OPTIONS,
       v.DEFINER AS VIEW_DEFINER, v.SECURITY_TYPE AS VIEW_SECURITY
FROM information_schema.TABLES t
LEFT JOIN information_schema.VIEWS v ON v.TABLE_SCHEMA = t.TABLE_SCHEMA AND v.TABLE_NAME = t.TABLE_NAME
WHERE t.TABLE_SCHEMA = ? AND UPPER(t.TABLE_NAME) IN (?)
