-- blob_simprop_triggers.sql: the free-text properties of SIMPROP triggers (no blob), for the secret detectors.
-- Reads: <prefix>SIMPROP_TRIGGERS. Privilege: SELECT on that table. {{table}} is the backtick-quoted `db`.`table`.
-- Parameter: the byte bound (applied to each property).
SELECT SCHED_NAME, TRIGGER_GROUP, TRIGGER_NAME,
       SUBSTRING(STR_PROP_1, 1, ?) AS STR_PROP_1, SUBSTRING(STR_PROP_2, 1, ?) AS STR_PROP_2,
       SUBSTRING(STR_PROP_3, 1, ?) AS STR_PROP_3, 0 AS SIZE, NULL AS BYTES
FROM {{table}}
