-- connection-encryption.sql: whether the audit's own session is encrypted, as the server sees it
-- (encrypt_option TRUE/FALSE; CONNECTIONPROPERTY has no encrypt_option).
-- Reads: sys.dm_exec_connections for @@SPID. Permission: VIEW SERVER STATE (2022: VIEW SERVER PERFORMANCE
-- STATE); Azure SQL Database: VIEW DATABASE STATE.
SELECT c.session_id, c.encrypt_option, c.net_transport, c.auth_scheme, c.protocol_version
FROM sys.dm_exec_connections AS c
WHERE c.session_id = @@SPID
