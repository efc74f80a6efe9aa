-- extensions.sql — installed extensions (pgaudit, pg_tde…). Reads: pg_extension. Needs: nothing.
SELECT extname::text AS name, extversion::text AS version FROM pg_extension ORDER BY 1;
