-- my-server-permissions.sql: the connected login's effective server permissions (self view, works without
-- VIEW ANY DEFINITION; used when the catalog shows only part of the picture).
-- Reads: sys.fn_my_permissions(NULL, 'SERVER'). Permission: none.
SELECT f.entity_name, f.subentity_name, f.permission_name
FROM sys.fn_my_permissions(NULL, 'SERVER') AS f
