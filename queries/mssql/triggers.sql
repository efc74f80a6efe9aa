-- triggers.sql: DML triggers (parent_class 1, on a table or view) and database DDL triggers (parent_class 0).
-- Reads: sys.triggers, OBJECT_SCHEMA_NAME/OBJECT_NAME of the parent. Stock Quartz.NET schemas have none.
-- Permission: triggers on objects the login has a permission on; VIEW DEFINITION on the database for all.
SELECT t.object_id, t.name, t.parent_class, t.parent_class_desc, t.parent_id, t.type, t.type_desc,
       t.is_ms_shipped, t.is_disabled, t.is_instead_of_trigger,
       OBJECT_SCHEMA_NAME(t.parent_id) AS parent_schema, OBJECT_NAME(t.parent_id) AS parent_name
FROM sys.triggers AS t
