-- server-audit-specs.sql: server audit specifications and their action groups (e.g. FAILED_LOGIN_GROUP,
-- SUCCESSFUL_LOGIN_GROUP, SCHEMA_OBJECT_CHANGE_GROUP, DATABASE_PERMISSION_CHANGE_GROUP for every database).
-- Reads: sys.server_audit_specifications, sys.server_audit_specification_details.
-- Permission: VIEW ANY DEFINITION (2022: VIEW ANY SECURITY DEFINITION) or ALTER ANY SERVER AUDIT.
SELECT s.server_specification_id, s.name, s.audit_guid, s.is_state_enabled,
       d.audit_action_id, d.audit_action_name, d.class, d.class_desc, d.major_id, d.minor_id,
       d.audited_principal_id, d.audited_result, d.is_group
FROM sys.server_audit_specifications AS s
LEFT OUTER JOIN sys.server_audit_specification_details AS d
  ON d.server_specification_id = s.server_specification_id
