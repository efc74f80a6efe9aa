-- variables.sql: the server settings the encryption, transport and audit checks judge.
-- Reads: global system variables (names below; names a version lacks are simply absent).
-- Privilege: none (SHOW GLOBAL VARIABLES is open to every account).
SHOW GLOBAL VARIABLES WHERE Variable_name IN (
  'version', 'version_comment', 'have_ssl', 'have_openssl', 'require_secure_transport', 'tls_version', 'ssl_cipher',
  'default_table_encryption', 'table_encryption_privilege_check', 'binlog_encryption', 'innodb_redo_log_encrypt',
  'innodb_undo_log_encrypt', 'innodb_encrypt_tables', 'innodb_encrypt_log', 'innodb_encrypt_temporary_tables',
  'encrypt_binlog', 'encrypt_tmp_files', 'encrypt_tmp_disk_tables', 'aria_encrypt_tables',
  'innodb_file_per_table', 'general_log', 'general_log_file', 'log_output', 'log_raw', 'log_bin', 'sql_log_bin',
  'binlog_format', 'mandatory_roles', 'activate_all_roles_on_login', 'local_infile', 'secure_file_priv',
  'performance_schema', 'file_key_management_encryption_algorithm'
) OR Variable_name LIKE 'server\_audit\_%' OR Variable_name LIKE 'audit\_log\_%' OR Variable_name LIKE 'keyring\_%'
