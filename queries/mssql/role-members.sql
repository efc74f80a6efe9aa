-- role-members.sql: database role membership edges (roles nest: walked transitively by the adapter).
-- Reads: sys.database_role_members. Permission: own memberships always; VIEW DEFINITION on the database for all.
SELECT m.role_principal_id, m.member_principal_id
FROM sys.database_role_members AS m
