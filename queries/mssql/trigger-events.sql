-- trigger-events.sql: the events each trigger fires on (INSERT/UPDATE/DELETE, DDL events and event groups).
-- Reads: sys.trigger_events. Permission: as triggers.sql.
SELECT e.object_id, e.type, e.type_desc, e.is_first, e.is_last, e.event_group_type, e.event_group_type_desc
FROM sys.trigger_events AS e
