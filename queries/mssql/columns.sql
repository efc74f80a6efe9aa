-- columns.sql: columns of the Quartz tables: types (U01 schema version) and Always Encrypted state.
-- Reads: sys.columns, sys.tables, sys.schemas, TYPE_NAME(). encryption_type: NULL not encrypted,
-- 1 deterministic, 2 randomized (SQL Server 2016+).
-- Permission: as quartz-objects.sql. Parameters: @schema; @t0 … @t10 upper-case table names.
SELECT t.name AS table_name, c.column_id, c.name, TYPE_NAME(c.user_type_id) AS type_name, c.max_length,
       c.is_nullable, c.encryption_type, c.encryption_type_desc, c.encryption_algorithm_name
FROM sys.columns AS c
INNER JOIN sys.tables AS t ON t.object_id = c.object_id
INNER JOIN sys.schemas AS s ON s.schema_id = t.schema_id
WHERE s.name = @schema AND UPPER(t.name) IN (@t0, @t1, @t2, @t3, @t4, @t5, @t6, @t7, @t8, @t9, @t10)
