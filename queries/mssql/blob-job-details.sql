-- blob-job-details.sql: one keyset-paginated batch of JobDataMaps, each read up to the --max-blob-size bound
-- (SUBSTRING) with its full size (DATALENGTH). Each batch is its own statement, in primary-key order.
-- Reads: <prefix>JOB_DETAILS. Permission: SELECT on that table.
-- {{table}} is the bracket-quoted [schema].[table]; {{rows}} the batch row count the adapter computed from its
-- byte budget (integer). Parameters: @first (1 = first batch), @k1 @k2 @k3 the last key read, @max the bound.
SELECT TOP ({{rows}}) j.SCHED_NAME, j.JOB_NAME, j.JOB_GROUP, j.JOB_CLASS_NAME, j.DESCRIPTION,
       DATALENGTH(j.JOB_DATA) AS size, SUBSTRING(j.JOB_DATA, 1, @max) AS bytes
FROM {{table}} AS j
WHERE @first = 1 OR j.SCHED_NAME > @k1
   OR (j.SCHED_NAME = @k1 AND (j.JOB_NAME > @k2 OR (j.JOB_NAME = @k2 AND j.JOB_GROUP > @k3)))
ORDER BY j.SCHED_NAME, j.JOB_NAME, j.JOB_GROUP
