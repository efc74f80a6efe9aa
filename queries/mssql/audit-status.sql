-- audit-status.sql: whether each server audit is actually running (STARTED) and where it writes.
-- Reads: sys.dm_server_audit_status. Permission: VIEW SERVER STATE (2022: VIEW SERVER SECURITY AUDIT).
SELECT s.audit_id, s.name, s.status, s.status_desc, s.status_time, s.audit_file_path
FROM sys.dm_server_audit_status AS s
