-- blob_sizes.sql: the primary keys and bounded sizes of the next rows of one blob table, so the adapter can cut the
-- next data batch by bytes (never more than its byte budget in memory), not by a row count.
-- Reads: <prefix>JOB_DETAILS, TRIGGERS, BLOB_TRIGGERS, CALENDARS or SIMPROP_TRIGGERS (keys and LENGTH only).
-- Privilege: SELECT on that table. {{table}} is the backtick-quoted `db`.`table`; {{keys}} the primary-key column
-- list; {{size}} the size expression (LENGTH of the blob, or of the text properties); {{after}} as in blob_*.sql.
-- Parameters: the byte bound; the last key of the previous batch when {{after}} has placeholders; the row count.
SELECT {{keys}}, LEAST(COALESCE({{size}}, 0), ?) AS SZ
FROM {{table}}
WHERE {{after}}
ORDER BY {{keys}}
LIMIT ?
