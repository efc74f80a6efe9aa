-- blob_calendars.sql: serialized calendars, read up to the --max-blob-size bound (streamed row by row).
-- Reads: <prefix>CALENDARS. Privilege: SELECT on that table. {{table}} is the backtick-quoted `db`.`table`.
-- Parameter: the byte bound.
SELECT SCHED_NAME, CALENDAR_NAME, LENGTH(CALENDAR) AS SIZE, SUBSTRING(CALENDAR, 1, ?) AS BYTES
FROM {{table}}
