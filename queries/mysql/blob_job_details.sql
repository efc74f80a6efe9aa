-- blob_job_details.sql: JobDataMap of every job, read up to the --max-blob-size bound (streamed row by row).
-- Reads: <prefix>JOB_DETAILS. Privilege: SELECT on that table. {{table}} is the backtick-quoted `db`.`table`.
-- Parameter: the byte bound.
SELECT SCHED_NAME, JOB_GROUP, JOB_NAME, JOB_CLASS_NAME, DESCRIPTION,
       LENGTH(JOB_DATA) AS SIZE, SUBSTRING(JOB_DATA, 1, ?) AS BYTES
FROM {{table}}
