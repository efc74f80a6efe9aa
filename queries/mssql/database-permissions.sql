-- database-permissions.sql: every GRANT / GRANT WITH GRANT OPTION / DENY in the database: on the database
-- (class 0), objects and columns (1), schemas (3), principals (4)…, with the securable's name resolved.
-- Reads: sys.database_permissions, OBJECT_SCHEMA_NAME/OBJECT_NAME/COL_NAME/SCHEMA_NAME/USER_NAME.
-- Permission: rows for the login's own principals and public always; VIEW DEFINITION on the database for all.
SELECT p.class, p.class_desc, p.major_id, p.minor_id, p.grantee_principal_id, p.grantor_principal_id,
       p.type, p.permission_name, p.state, p.state_desc,
       CASE WHEN p.class = 1 THEN OBJECT_SCHEMA_NAME(p.major_id) WHEN p.class = 3 THEN SCHEMA_NAME(p.major_id) END AS securable_schema,
       CASE WHEN p.class = 1 THEN OBJECT_NAME(p.major_id) WHEN p.class = 4 THEN USER_NAME(p.major_id) END AS securable_name,
       CASE WHEN p.class = 1 AND p.minor_id > 0 THEN COL_NAME(p.major_id, p.minor_id) END AS column_name
FROM sys.database_permissions AS p
