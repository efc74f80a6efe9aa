-- Reads: the generated (computed) columns of one Quartz table: reading such a column runs its expression, so a
-- Quartz table with one is reported as tamper and not read. pragma_table_xinfo's `hidden` is 2 (VIRTUAL) or
-- 3 (STORED) for generated columns. Needs: read access to the database file. Parameter 1: the real table name.
SELECT name AS column_name, hidden
FROM pragma_table_xinfo(?)
WHERE hidden IN (2, 3);
