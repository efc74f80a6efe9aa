-- settings.sql — server settings the encryption and audit checks read. Settings flagged superuser-only
-- (shared_preload_libraries among them) are hidden from pg_settings unless the reader is superuser or a
-- member of pg_read_all_settings; the adapter records those as unreadable instead of assuming a value.
-- $1 = names. Reads: pg_settings. Needs: nothing; pg_read_all_settings for the hidden ones.
SELECT name, setting FROM pg_settings WHERE name = ANY ($1::text[]) OR name LIKE 'pgaudit.%' OR name LIKE 'pg\_tde.%';
