-- blob-row.sql — the text columns of one heavy row of a blob table (one whose bytes did not travel
-- in its batch), fetched alone by table oid and tuple id within the same REPEATABLE READ snapshot as
-- the cursor that listed it. {{TABLE}} and {{EXTRA}} as in blobs.sql; each text column is cut at
-- LEAST($1, 16 MiB) characters. $1 = --max-blob-size, $2 = the table's (a partition's) oid, $3 = the
-- tuple id. Reads: SELECT on the Quartz table. Needs: SELECT on it.
SELECT {{EXTRA}}
FROM {{TABLE}}
WHERE tableoid OPERATOR(pg_catalog.=) $2::pg_catalog.oid AND ctid OPERATOR(pg_catalog.=) $3::pg_catalog.tid;
