-- triggers.sql: triggers attached to Quartz tables.
-- Reads: information_schema.TRIGGERS. Privilege: TRIGGER on the tables — rows for tables where the reader lacks
-- TRIGGER are silently hidden, so the adapter records the triggers as unreadable when it lacks TRIGGER.
-- Parameters: database name; list of upper-case table names.
SELECT TRIGGER_NAME, EVENT_MANIPULATION, EVENT_OBJECT_TABLE, ACTION_TIMING, DEFINER, LEFT(ACTION_STATEMENT, 200) AS ACTION_STATEMENT
FROM information_schema.TRIGGERS
WHERE EVENT_OBJECT_SCHEMA = ? AND UPPER(EVENT_OBJECT_TABLE) IN (?)
