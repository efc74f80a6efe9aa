-- set-deadlock-priority.sql: if the audit ever deadlocks with the scheduler, the audit is the victim.
-- Reads: nothing. Permission: none.
SET DEADLOCK_PRIORITY LOW
