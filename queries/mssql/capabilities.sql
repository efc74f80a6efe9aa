-- capabilities.sql: what the audit login may see, probed before reading (so "not visible" is never "absent").
-- Reads: HAS_PERMS_BY_NAME, IS_SRVROLEMEMBER, IS_MEMBER for the connected login/user only.
-- Permission: none. NULL from IS_SRVROLEMEMBER means "not visible", never "no". Catalog views do not fail
-- without these permissions, they silently show fewer rows: the adapter uses this row to label such reads
-- "partial view" (absence then proves nothing).
SELECT HAS_PERMS_BY_NAME(NULL, NULL, 'VIEW SERVER STATE') AS view_server_state,
       HAS_PERMS_BY_NAME(NULL, NULL, 'VIEW ANY DEFINITION') AS view_any_definition,
       HAS_PERMS_BY_NAME(NULL, NULL, 'CONTROL SERVER') AS control_server,
       HAS_PERMS_BY_NAME(NULL, NULL, 'IMPERSONATE ANY LOGIN') AS impersonate_any_login,
       HAS_PERMS_BY_NAME(NULL, NULL, 'ALTER ANY LOGIN') AS alter_any_login,
       HAS_PERMS_BY_NAME(DB_NAME(), 'DATABASE', 'VIEW DEFINITION') AS view_database_definition,
       HAS_PERMS_BY_NAME(DB_NAME(), 'DATABASE', 'VIEW DATABASE STATE') AS view_database_state,
       HAS_PERMS_BY_NAME(N'master', 'DATABASE', 'VIEW DEFINITION') AS view_master_definition,
       IS_SRVROLEMEMBER('sysadmin') AS is_sysadmin,
       IS_SRVROLEMEMBER('securityadmin') AS is_securityadmin,
       IS_MEMBER('db_owner') AS is_db_owner
