-- blob-row.sql — one large row of a blob table, fetched alone by its tuple id (within the same
-- REPEATABLE READ snapshot as the cursor that listed it), so a batch never holds more than one large
-- blob. {{TABLE}}, {{COLUMN}}, {{EXTRA}} as in blobs.sql; $1 = most bytes (and characters of each text
-- column) read, $2 = the tuple id, $3 = the
-- table (a partition's) oid. Reads: SELECT on the Quartz table. Needs: SELECT on it.
SELECT pg_catalog.substr({{COLUMN}}, 1, LEAST($1::pg_catalog.int8, 1073741824)::pg_catalog.int4) AS data,
       {{EXTRA}}
FROM {{TABLE}}
WHERE tableoid OPERATOR(pg_catalog.=) $3::pg_catalog.oid AND ctid OPERATOR(pg_catalog.=) $2::pg_catalog.tid;
