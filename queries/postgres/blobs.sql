-- blobs.sql — the serialized blob columns, read through an explicit NO SCROLL cursor (each FETCH its
-- own statement, so the statement timeout bounds one batch, not the stream), each row keyed by
-- scheduler, group and name. {{TABLE}}, {{COLUMN}}, {{GROUP}}, {{NAME}}, {{EXTRA}}, {{WEIGHT}} are
-- replaced by the adapter with quoted identifiers of the real Quartz table (columns checked to be
-- built-in types first). $1 = the most bytes read per blob (up to 1 GiB), $2 = the most bytes a row may
-- weigh to travel inside the batch: heavier rows come without data and are fetched alone by tableoid
-- and ctid (blob-row.sql). Sizes come from the varlena headers (no detoasting).
-- Reads: SELECT on the Quartz table. Needs: SELECT on it (an auditor login should have it).
SELECT tableoid::pg_catalog.int8 AS rel,
       ctid::pg_catalog.text AS tid,
       sched_name::pg_catalog.text AS sched,
       {{GROUP}} AS grp,
       {{NAME}}::pg_catalog.text AS name,
       {{WEIGHT}} AS weight,
       CASE WHEN {{WEIGHT}} OPERATOR(pg_catalog.<=) $2::pg_catalog.int8
            THEN pg_catalog.substr({{COLUMN}}, 1, LEAST($1::pg_catalog.int8, 1073741824)::pg_catalog.int4)
       END AS data,
       pg_catalog.octet_length({{COLUMN}}) AS size,
       {{EXTRA}}
FROM {{TABLE}}
