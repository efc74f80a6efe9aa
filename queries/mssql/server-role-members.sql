-- server-role-members.sql: server role membership (sysadmin, securityadmin, ##MS_…## and user-defined roles).
-- Reads: sys.server_role_members. Permission: own memberships always; VIEW ANY DEFINITION for all.
SELECT m.role_principal_id, m.member_principal_id
FROM sys.server_role_members AS m
