-- blobs.sql — the serialized blob columns, streamed through a server-side cursor, each row keyed by
-- scheduler, group and name. {{TABLE}}, {{COLUMN}}, {{GROUP}}, {{NAME}}, {{EXTRA}} are replaced by the
-- adapter with quoted identifiers of the real Quartz table; $1 = the most bytes read per blob.
-- Reads: SELECT on the Quartz table. Needs: SELECT on it (an auditor login should have it).
SELECT sched_name::text AS sched,
       {{GROUP}} AS grp,
       {{NAME}}::text AS name,
       {{EXTRA}},
       substring({{COLUMN}} FROM 1 FOR $1) AS data,
       octet_length({{COLUMN}}) AS size
FROM {{TABLE}};
