-- auditor-mariadb.sql — a least-privileged MariaDB / MySQL login for qrtz-audit (issue #17 part 2).
--
-- Run as an account that may create users and grant (root), naming the login, the host it connects
-- from and the Quartz database in user variables first:
--   { echo "SET @auditor='qrtz_auditor', @auditor_host='10.0.0.%', @quartz_db='quartz';"
--     cat scripts/auditor-mariadb.sql; } | mariadb
--   mariadb -e "ALTER USER 'qrtz_auditor'@'10.0.0.%' IDENTIFIED BY '…'"   -- interactively, or via a vault
-- Names are quoted by the script (QUOTE() for the account, backticks for the database), so any
-- name is safe to give.
--
-- What the login gets, and why (the least every check needs):
--   SELECT ON <quartz_db>.*        the Quartz tables' contents (blob, secret, job, health checks) and
--                                  their definitions in information_schema
--   SELECT ON mysql.global_priv    accounts, plugins and attributes (MariaDB; MySQL: mysql.user)
--   SELECT ON mysql.db, mysql.tables_priv, mysql.columns_priv, mysql.roles_mapping, mysql.procs_priv
--                                  every account's grants on the Quartz database and tables, and role
--                                  memberships (without them only the login's own grants are visible)
--   MAX_USER_CONNECTIONS 2         one audit at a time (plus a spare)
-- Deliberately not granted (the checks that need them say not-evaluated and name the privilege):
--   PROCESS   InnoDB tablespace encryption (information_schema.INNODB_TABLESPACES_ENCRYPTION); it
--             also shows every session's statement text, passwords in CREATE/ALTER USER included
--   TRIGGER   information_schema.TRIGGERS rows for the Quartz tables; TRIGGER lets its holder create
--             and drop triggers, i.e. write code that runs as other accounts
-- Add them only if you accept that: GRANT PROCESS ON *.* TO …; GRANT TRIGGER ON quartz.* TO …
SET @qa_user = CONCAT(QUOTE(@auditor), '@', QUOTE(@auditor_host));
SET @qa_db = CONCAT('`', REPLACE(@quartz_db, '`', '``'), '`');

SET @qa_sql = CONCAT('CREATE USER ', @qa_user, ' WITH MAX_USER_CONNECTIONS 2');
PREPARE qa_stmt FROM @qa_sql; EXECUTE qa_stmt; DEALLOCATE PREPARE qa_stmt;
SET @qa_sql = CONCAT('GRANT SELECT ON ', @qa_db, '.* TO ', @qa_user);
PREPARE qa_stmt FROM @qa_sql; EXECUTE qa_stmt; DEALLOCATE PREPARE qa_stmt;
SET @qa_sql = CONCAT('GRANT SELECT ON mysql.global_priv TO ', @qa_user);
PREPARE qa_stmt FROM @qa_sql; EXECUTE qa_stmt; DEALLOCATE PREPARE qa_stmt;
SET @qa_sql = CONCAT('GRANT SELECT ON mysql.db TO ', @qa_user);
PREPARE qa_stmt FROM @qa_sql; EXECUTE qa_stmt; DEALLOCATE PREPARE qa_stmt;
SET @qa_sql = CONCAT('GRANT SELECT ON mysql.tables_priv TO ', @qa_user);
PREPARE qa_stmt FROM @qa_sql; EXECUTE qa_stmt; DEALLOCATE PREPARE qa_stmt;
SET @qa_sql = CONCAT('GRANT SELECT ON mysql.columns_priv TO ', @qa_user);
PREPARE qa_stmt FROM @qa_sql; EXECUTE qa_stmt; DEALLOCATE PREPARE qa_stmt;
SET @qa_sql = CONCAT('GRANT SELECT ON mysql.roles_mapping TO ', @qa_user);
PREPARE qa_stmt FROM @qa_sql; EXECUTE qa_stmt; DEALLOCATE PREPARE qa_stmt;
SET @qa_sql = CONCAT('GRANT SELECT ON mysql.procs_priv TO ', @qa_user);
PREPARE qa_stmt FROM @qa_sql; EXECUTE qa_stmt; DEALLOCATE PREPARE qa_stmt;
SET @qa_sql = NULL, @qa_user = NULL, @qa_db = NULL;
