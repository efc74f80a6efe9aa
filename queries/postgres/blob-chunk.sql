-- blob-chunk.sql — one slice of a heavy blob, so no single value (nor its hex text) grows past the
-- chunk size in the client: the adapter reads up to --max-blob-size bytes slice by slice into one
-- Buffer. {{TABLE}}, {{COLUMN}} as in blobs.sql; $1 = first byte (1-based), $2 = slice length,
-- $3 = the table's (a partition's) oid, $4 = the tuple id.
-- Reads: SELECT on the Quartz table. Needs: SELECT on it.
SELECT pg_catalog.substr({{COLUMN}}, $1::pg_catalog.int4, $2::pg_catalog.int4) AS data
FROM {{TABLE}}
WHERE tableoid OPERATOR(pg_catalog.=) $3::pg_catalog.oid AND ctid OPERATOR(pg_catalog.=) $4::pg_catalog.tid;
