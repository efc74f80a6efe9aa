-- server-audits.sql: SQL Server Audit objects (target type, on-failure action, enabled state).
-- Reads: sys.server_audits. Permission: VIEW AUDIT STATE / ALTER ANY SERVER AUDIT (2022: VIEW ANY SECURITY
-- DEFINITION), or CONTROL SERVER.
SELECT a.audit_id, a.name, a.audit_guid, a.type, a.type_desc, a.on_failure, a.on_failure_desc,
       a.is_state_enabled, a.queue_delay
FROM sys.server_audits AS a
