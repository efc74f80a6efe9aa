-- session-guard.sql — the hardening the audit relies on, read back after it is applied: search_path
-- pinned to pg_catalog, row security off, this transaction read-only and REPEATABLE READ; and
-- whether this login bypasses row-level security (else tables with RLS enabled are not read).
-- Reads: current_setting, pg_roles. Needs: nothing.
SELECT pg_catalog.current_setting('search_path') AS search_path,
       pg_catalog.current_setting('row_security') AS row_security,
       pg_catalog.current_setting('transaction_read_only') AS read_only,
       pg_catalog.current_setting('transaction_isolation') AS isolation,
       (SELECT r.rolsuper OR r.rolbypassrls FROM pg_catalog.pg_roles r
         WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER) AS bypass_rls;
