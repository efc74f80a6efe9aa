-- blob_blob_triggers.sql: serialized custom triggers, read up to the --max-blob-size bound (streamed row by row).
-- Reads: <prefix>BLOB_TRIGGERS. Privilege: SELECT on that table. {{table}} is the backtick-quoted `db`.`table`.
-- Parameter: the byte bound.
SELECT SCHED_NAME, TRIGGER_GROUP, TRIGGER_NAME,
       LENGTH(BLOB_DATA) AS SIZE, SUBSTRING(BLOB_DATA, 1, ?) AS BYTES
FROM {{table}}
