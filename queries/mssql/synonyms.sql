-- synonyms.sql: synonyms with a Quartz table's name (an unqualified QRTZ_ name resolves in the user's default
-- schema first, so a synonym there redirects the scheduler's statements). base_object_name is where it points.
-- Reads: sys.synonyms, SCHEMA_NAME(). Permission: as quartz-objects.sql.
-- Parameters: @t0 … @t10, the upper-case expected names.
SELECT sy.object_id, sy.name, SCHEMA_NAME(sy.schema_id) AS schema_name, sy.base_object_name,
       USER_NAME(sy.principal_id) AS object_owner
FROM sys.synonyms AS sy
WHERE UPPER(sy.name) IN (@t0, @t1, @t2, @t3, @t4, @t5, @t6, @t7, @t8, @t9, @t10)
