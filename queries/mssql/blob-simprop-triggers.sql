-- blob-simprop-triggers.sql: one keyset-paginated batch of SIMPROP_TRIGGERS free-text properties (no blob:
-- STR_PROP_1..3 go to the secret detectors), each read up to the bound.
-- Reads: <prefix>SIMPROP_TRIGGERS. Permission: SELECT on that table.
-- Placeholders: {{table}}, {{rows}}. Parameters: @first, @k1 @k2 @k3, @max.
SELECT TOP ({{rows}}) s.SCHED_NAME, s.TRIGGER_NAME, s.TRIGGER_GROUP,
       SUBSTRING(s.STR_PROP_1, 1, @max) AS STR_PROP_1, SUBSTRING(s.STR_PROP_2, 1, @max) AS STR_PROP_2,
       SUBSTRING(s.STR_PROP_3, 1, @max) AS STR_PROP_3
FROM {{table}} AS s
WHERE @first = 1 OR s.SCHED_NAME > @k1
   OR (s.SCHED_NAME = @k1 AND (s.TRIGGER_NAME > @k2 OR (s.TRIGGER_NAME = @k2 AND s.TRIGGER_GROUP > @k3)))
ORDER BY s.SCHED_NAME, s.TRIGGER_NAME, s.TRIGGER_GROUP
