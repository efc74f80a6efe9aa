-- plugins.sql: loaded server plugins (audit: server_audit, audit_log, audit_log_filter; key management:
-- file_key_management, aws_key_management, hashicorp_key_management, keyring_*).
-- Reads: information_schema.PLUGINS. Privilege: none.
SELECT PLUGIN_NAME, PLUGIN_STATUS, PLUGIN_TYPE, LOAD_OPTION FROM information_schema.PLUGINS
