-- blob-count.sql — the number of rows the blob scan will stream from one Quartz table (JOB_DETAILS,
-- TRIGGERS, BLOB_TRIGGERS, CALENDARS, SIMPROP_TRIGGERS), for the progress bar's total only: a failure
-- leaves the bar without a total and never affects a finding. Run inside the audit's read-only
-- transaction, in a savepoint. {{TABLE}} is replaced by the adapter with the quoted real table name.
-- Reads: SELECT on the Quartz table. Needs: SELECT on it (the same privilege as blobs.sql).
SELECT pg_catalog.count(*)::pg_catalog.int8 AS n
FROM {{TABLE}}
