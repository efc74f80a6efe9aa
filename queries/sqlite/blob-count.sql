-- Reads: the number of rows the blob scan will stream from one Quartz table (JOB_DETAILS, TRIGGERS,
-- BLOB_TRIGGERS, CALENDARS, SIMPROP_TRIGGERS), for the progress bar's total only (a failure leaves the bar
-- without a total). {{TABLE}} is replaced by src/dialects/sqlite/index.ts with the quoted real table name.
-- Needs: read access to the database file.
SELECT COUNT(*) AS n
FROM {{TABLE}};
