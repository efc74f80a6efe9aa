-- blob-blob-triggers.sql: one keyset-paginated batch of serialized custom triggers (see blob-job-details.sql).
-- Reads: <prefix>BLOB_TRIGGERS. Permission: SELECT on that table.
-- Placeholders: {{table}}, {{rows}}. Parameters: @first, @k1 @k2 @k3, @max.
SELECT TOP ({{rows}}) b.SCHED_NAME, b.TRIGGER_NAME, b.TRIGGER_GROUP,
       DATALENGTH(b.BLOB_DATA) AS size, SUBSTRING(b.BLOB_DATA, 1, @max) AS bytes
FROM {{table}} AS b
WHERE @first = 1 OR b.SCHED_NAME > @k1
   OR (b.SCHED_NAME = @k1 AND (b.TRIGGER_NAME > @k2 OR (b.TRIGGER_NAME = @k2 AND b.TRIGGER_GROUP > @k3)))
ORDER BY b.SCHED_NAME, b.TRIGGER_NAME, b.TRIGGER_GROUP
