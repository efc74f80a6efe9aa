-- quartz-objects.sql: every object, of any type, in any schema, whose name is exactly one of the Quartz table
-- names (prefix + logical name, compared upper-case; never LIKE, so `_` is no wildcard). Only type U is a
-- Quartz table; a view, synonym or function under the name is a tamper fact and is never read.
-- Reads: sys.objects, sys.schemas. Permission: metadata is visible for objects the login has any permission
-- on; VIEW DEFINITION on the database to see them all.
-- Parameters: @t0 … @t10, the upper-case expected names.
SELECT o.object_id, o.name, s.name AS schema_name, o.type, o.type_desc, o.is_ms_shipped,
       USER_NAME(o.principal_id) AS object_owner, USER_NAME(s.principal_id) AS schema_owner
FROM sys.objects AS o
INNER JOIN sys.schemas AS s ON s.schema_id = o.schema_id
WHERE UPPER(o.name) IN (@t0, @t1, @t2, @t3, @t4, @t5, @t6, @t7, @t8, @t9, @t10)
