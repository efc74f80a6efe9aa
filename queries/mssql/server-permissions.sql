-- server-permissions.sql: server-level permissions (CONTROL SERVER, IMPERSONATE ANY LOGIN, ALTER ANY LOGIN,
-- UNSAFE ASSEMBLY, ADMINISTER BULK OPERATIONS…), with state (G, W, D).
-- Reads: sys.server_permissions. Permission: own rows always; VIEW ANY DEFINITION for all.
SELECT sp.class, sp.class_desc, sp.major_id, sp.minor_id, sp.grantee_principal_id, sp.grantor_principal_id,
       sp.type, sp.permission_name, sp.state, sp.state_desc
FROM sys.server_permissions AS sp
