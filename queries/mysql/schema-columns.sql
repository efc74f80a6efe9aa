-- Reads: the column names of one Quartz table (QA-U01 infers the schema version from columns later releases added).
-- Needs: any privilege on the table (INFORMATION_SCHEMA.COLUMNS shows only columns the user has some privilege on).
-- Parameters: 1 database (schema), 2 real table name.
SELECT COLUMN_NAME AS column_name
FROM INFORMATION_SCHEMA.COLUMNS
WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?;
