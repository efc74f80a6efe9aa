-- session_mysql.sql: make the audit session read-only and bounded (MySQL 8.0+). Writes nothing.
-- Reads: nothing. Sets (session scope only): transaction_read_only, max_execution_time (ms, SELECT only),
--        lock_wait_timeout (s, metadata locks), innodb_lock_wait_timeout (s, row locks).
-- Privilege: none (all four are session variables any account may set).
-- Parameters: statement timeout in ms, lock timeout in s (twice).
SET SESSION transaction_read_only = ON, SESSION max_execution_time = ?, SESSION lock_wait_timeout = ?, SESSION innodb_lock_wait_timeout = ?
