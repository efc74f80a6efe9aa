-- database_exists.sql: whether the target database exists (and is visible to this login), so a wrong name is
-- reported as such instead of "no Quartz tables".
-- Reads: information_schema.SCHEMATA. Privilege: any privilege on the database (others are hidden).
-- Parameter: database name.
SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?
