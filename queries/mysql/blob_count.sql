-- blob_count.sql: the number of rows the blob scan will stream from one Quartz table, for the progress bar's
-- total only (a failure leaves the bar without a total and never affects a finding).
-- Reads: <prefix>JOB_DETAILS, TRIGGERS, BLOB_TRIGGERS, CALENDARS or SIMPROP_TRIGGERS (a row count).
-- Privilege: SELECT on that table (as blob_*.sql). {{table}} is the backtick-quoted `db`.`table`.
SELECT COUNT(*) AS N
FROM {{table}}
