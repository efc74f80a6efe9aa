-- blob_job_details.sql: JobDataMap of every job, read up to the --max-blob-size bound (one keyset batch per statement).
-- Reads: <prefix>JOB_DETAILS. Privilege: SELECT on that table. {{table}} is the backtick-quoted `db`.`table`.
-- Batches: ordered by the primary key (SCHED_NAME, JOB_NAME, JOB_GROUP); {{after}} is TRUE for the first batch, else
-- rows after the last key read (keysetAfter in src/dialects/mysql/index.ts), so each batch is its own bounded statement.
-- Parameters: the byte bound; then the last key of the previous batch when {{after}} has placeholders; the row count.
SELECT SCHED_NAME, JOB_GROUP, JOB_NAME, JOB_CLASS_NAME, DESCRIPTION,
       LENGTH(JOB_DATA) AS SIZE, SUBSTRING(JOB_DATA, 1, ?) AS BYTES
FROM {{table}}
WHERE {{after}}
ORDER BY SCHED_NAME, JOB_NAME, JOB_GROUP
LIMIT ?
