-- session_mariadb.sql: make the audit session read-only and bounded (MariaDB 10.6+). Writes nothing.
-- Reads: nothing. Sets (session scope only): tx_read_only, max_statement_time (seconds, fractional),
--        lock_wait_timeout (s, metadata locks), innodb_lock_wait_timeout (s, row locks).
-- Privilege: none.
-- Parameters: statement timeout in s, lock timeout in s (twice).
SET SESSION tx_read_only = 1, SESSION max_statement_time = ?, SESSION lock_wait_timeout = ?, SESSION innodb_lock_wait_timeout = ?
