-- capabilities.sql — which catalog-reading roles the connected login effectively has, so checks can say
-- "not evaluated: needs pg_read_all_settings" instead of guessing. Reads: pg_has_role. Needs: nothing.
SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
       pg_has_role(current_user, 'pg_read_all_settings', 'USAGE') AS read_all_settings,
       pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') AS read_all_stats;
