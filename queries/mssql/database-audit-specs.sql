-- database-audit-specs.sql: database audit specifications and what each audits (action or action group, on
-- which class / securable: class 1 object, 3 schema, 0 database; audited principal).
-- Reads: sys.database_audit_specifications, sys.database_audit_specification_details.
-- Permission: VIEW DEFINITION on the database (2022: VIEW SECURITY DEFINITION) or ALTER ANY DATABASE AUDIT.
SELECT s.database_specification_id, s.name, s.audit_guid, s.is_state_enabled,
       d.audit_action_id, d.audit_action_name, d.class, d.class_desc, d.major_id, d.minor_id,
       d.audited_principal_id, d.audited_result, d.is_group,
       CASE WHEN d.class = 1 THEN OBJECT_SCHEMA_NAME(d.major_id) WHEN d.class = 3 THEN SCHEMA_NAME(d.major_id) END AS securable_schema,
       CASE WHEN d.class = 1 THEN OBJECT_NAME(d.major_id) END AS securable_name,
       USER_NAME(d.audited_principal_id) AS audited_principal
FROM sys.database_audit_specifications AS s
LEFT OUTER JOIN sys.database_audit_specification_details AS d
  ON d.database_specification_id = s.database_specification_id
