-- set-lock-timeout.sql: a blocked read gives up after {{ms}} ms (error 1222) instead of waiting on Quartz's
-- UPDLOCK/ROWLOCK on QRTZ_LOCKS or its trigger writes. {{ms}} is an integer the adapter validated.
-- Reads: nothing. Permission: none.
SET LOCK_TIMEOUT {{ms}}
