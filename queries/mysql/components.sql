-- components.sql: MySQL 8.0+ loaded components (component_keyring_*, component_audit_log_filter…).
-- Reads: mysql.component. Privilege: SELECT on mysql.component (else recorded as unreadable).
SELECT component_id, component_urn FROM mysql.component
