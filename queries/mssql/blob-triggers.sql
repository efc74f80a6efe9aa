-- blob-triggers.sql: one keyset-paginated batch of trigger JobDataMaps (see blob-job-details.sql).
-- Reads: <prefix>TRIGGERS. Permission: SELECT on that table.
-- Placeholders: {{table}}, {{rows}}. Parameters: @first, @k1 @k2 @k3, @max.
SELECT TOP ({{rows}}) t.SCHED_NAME, t.TRIGGER_NAME, t.TRIGGER_GROUP, t.JOB_NAME, t.JOB_GROUP, t.DESCRIPTION,
       DATALENGTH(t.JOB_DATA) AS size, SUBSTRING(t.JOB_DATA, 1, @max) AS bytes
FROM {{table}} AS t
WHERE @first = 1 OR t.SCHED_NAME > @k1
   OR (t.SCHED_NAME = @k1 AND (t.TRIGGER_NAME > @k2 OR (t.TRIGGER_NAME = @k2 AND t.TRIGGER_GROUP > @k3)))
ORDER BY t.SCHED_NAME, t.TRIGGER_NAME, t.TRIGGER_GROUP
