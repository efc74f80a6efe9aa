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
--   SELECT ON mysql.*              accounts, plugins and attributes (mysql.global_priv), every account's
--                                  grants on the Quartz database and tables (mysql.db, tables_priv,
--                                  columns_priv, procs_priv) and role memberships (mysql.roles_mapping).
--                                  MariaDB's information_schema *_PRIVILEGES views show other accounts'
--                                  rows only with SELECT on the whole mysql database: table-level SELECT
--                                  on mysql.tables_priv is not enough. It also reads mysql.general_log /
--                                  slow_log when log_output=TABLE (their statements may hold secrets).
-- `qrtz-audit grants-script --dialect mariadb --schema DB --user SVC --auditor A` prints the same grants
-- with static names, plus the Quartz service account's (test/grants-script.test.ts keeps them equal).
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
SET @qa_sql = CONCAT('GRANT SELECT ON mysql.* TO ', @qa_user);
PREPARE qa_stmt FROM @qa_sql; EXECUTE qa_stmt; DEALLOCATE PREPARE qa_stmt;
SET @qa_sql = NULL, @qa_user = NULL, @qa_db = NULL;
