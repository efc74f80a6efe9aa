-- blob_triggers.sql: trigger JobDataMaps, read up to the --max-blob-size bound (streamed row by row).
-- Reads: <prefix>TRIGGERS. Privilege: SELECT on that table. {{table}} is the backtick-quoted `db`.`table`.
-- Parameter: the byte bound.
SELECT SCHED_NAME, TRIGGER_GROUP, TRIGGER_NAME, JOB_GROUP, JOB_NAME, DESCRIPTION,
       LENGTH(JOB_DATA) AS SIZE, SUBSTRING(JOB_DATA, 1, ?) AS BYTES
FROM {{table}}
