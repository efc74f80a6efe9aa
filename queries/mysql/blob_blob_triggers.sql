-- blob_blob_triggers.sql: serialized custom triggers, read up to the --max-blob-size bound (one keyset batch per statement).
-- Reads: <prefix>BLOB_TRIGGERS. Privilege: SELECT on that table. {{table}} is the backtick-quoted `db`.`table`.
-- Batches: ordered by the primary key (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP); {{after}} is TRUE for the first batch, else
-- rows after the last key read (keysetAfter in src/dialects/mysql/index.ts), so each batch is its own bounded statement.
-- Parameters: the byte bound; then the last key of the previous batch when {{after}} has placeholders; the row count.
SELECT SCHED_NAME, TRIGGER_GROUP, TRIGGER_NAME,
       LENGTH(BLOB_DATA) AS SIZE, SUBSTRING(BLOB_DATA, 1, ?) AS BYTES
FROM {{table}}
WHERE {{after}}
ORDER BY SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP
LIMIT ?
