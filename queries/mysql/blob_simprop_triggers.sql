-- blob_simprop_triggers.sql: the free-text properties of SIMPROP triggers (no blob), for the secret detectors.
-- Reads: <prefix>SIMPROP_TRIGGERS. Privilege: SELECT on that table. {{table}} is the backtick-quoted `db`.`table`.
-- Batches: ordered by the primary key (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP); {{after}} is TRUE for the first batch, else
-- rows after the last key read (keysetAfter in src/dialects/mysql/index.ts), so each batch is its own bounded statement.
-- Parameters: the byte bound (applied to each property); then the last key of the previous batch when {{after}} has placeholders; the row count.
SELECT SCHED_NAME, TRIGGER_GROUP, TRIGGER_NAME,
       SUBSTRING(STR_PROP_1, 1, ?) AS STR_PROP_1, SUBSTRING(STR_PROP_2, 1, ?) AS STR_PROP_2,
       SUBSTRING(STR_PROP_3, 1, ?) AS STR_PROP_3, 0 AS SIZE, NULL AS BYTES
FROM {{table}}
WHERE {{after}}
ORDER BY SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP
LIMIT ?
