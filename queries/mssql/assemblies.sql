-- assemblies.sql: CLR assemblies in the database and their permission set (1 SAFE, 2 EXTERNAL_ACCESS, 3 UNSAFE).
-- Reads: sys.assemblies. Permission: assemblies the login has a permission on; VIEW DEFINITION for all.
SELECT a.assembly_id, a.name, a.principal_id, a.clr_name, a.permission_set, a.permission_set_desc,
       a.is_user_defined, a.is_visible
FROM sys.assemblies AS a
