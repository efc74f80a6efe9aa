-- set-isolation-snapshot.sql: row-versioned reads (no shared locks, never blocks or waits on the scheduler's
-- writers). Used only when sys.databases.snapshot_isolation_state = 1 (ALLOW_SNAPSHOT_ISOLATION ON).
-- Reads: nothing. Permission: none.
SET TRANSACTION ISOLATION LEVEL SNAPSHOT
