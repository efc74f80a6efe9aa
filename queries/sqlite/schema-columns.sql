-- Reads: the column names of one Quartz table (QA-U01 infers the schema version from columns later releases added).
-- Needs: read access to the database file. Parameter 1: the real table name.
SELECT name AS column_name
FROM pragma_table_info(?);
