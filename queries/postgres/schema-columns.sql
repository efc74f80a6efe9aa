-- Reads: the column names of one Quartz table (QA-U01 infers the schema version from columns later releases added).
-- Needs: any privilege on the table (information_schema.columns shows only columns the user has some privilege on).
-- Parameters: $1 schema, $2 real table name.
SELECT column_name
FROM information_schema.columns
WHERE table_schema = $1 AND table_name = $2;
