-- set-isolation-read-committed.sql: READ COMMITTED (row-versioned when READ_COMMITTED_SNAPSHOT is ON, else
-- locking reads bounded by LOCK_TIMEOUT). Never READ UNCOMMITTED / NOLOCK: security facts must be committed.
-- Reads: nothing. Permission: none.
SET TRANSACTION ISOLATION LEVEL READ COMMITTED
