-- quartz_tables.sql: the Quartz tables in the target database, matched case-insensitively on the exact name
-- (prefix + logical name, e.g. QRTZ_JOB_DETAILS), so `_` in the prefix is never a LIKE wildcard.
-- Reads: information_schema.TABLES (name, engine, CREATE_OPTIONS shows ENCRYPTION='Y' / ENCRYPTED=YES).
-- Privilege: any privilege on the tables (information_schema shows only tables the account can see).
-- Parameters: database name; list of upper-case table names.
SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, ENGINE, CREATE_OPTIONS
FROM information_schema.TABLES
WHERE TABLE_SCHEMA = ? AND UPPER(TABLE_NAME) IN (?)
