-- blob-calendars.sql: one keyset-paginated batch of serialized calendars (see blob-job-details.sql).
-- Reads: <prefix>CALENDARS. Permission: SELECT on that table.
-- Placeholders: {{table}}, {{rows}}. Parameters: @first, @k1 @k2 (@k3 unused), @max.
SELECT TOP ({{rows}}) c.SCHED_NAME, c.CALENDAR_NAME,
       DATALENGTH(c.CALENDAR) AS size, SUBSTRING(c.CALENDAR, 1, @max) AS bytes
FROM {{table}} AS c
WHERE @first = 1 OR c.SCHED_NAME > @k1 OR (c.SCHED_NAME = @k1 AND c.CALENDAR_NAME > @k2)
ORDER BY c.SCHED_NAME, c.CALENDAR_NAME
