-- audit_log_filters.sql: MySQL Enterprise Audit / Percona audit_log_filter rule-based filters and the accounts they
-- are assigned to (USER '%' = the default filter). Read only when an audit plugin or component is loaded.
-- Reads: {{db}}.audit_log_user (USER, HOST, FILTERNAME) and {{db}}.audit_log_filter (NAME, FILTER JSON); {{db}} is
-- @@audit_log_database (8.0.33+) or mysql. Never calls audit_log_filter_* functions (they need AUDIT_ADMIN and
-- can change state). Privilege: SELECT on those two tables.
SELECT u.USER, u.HOST, u.FILTERNAME, LEFT(CAST(f.FILTER AS CHAR), 4000) AS FILTER
FROM {{db}}.audit_log_user u
LEFT JOIN {{db}}.audit_log_filter f ON f.NAME = u.FILTERNAME
