-- session.sql — who and where the audit is connected, and the server version.
-- Reads: current_user, session_user, current_database(), version settings, pg_stat_ssl for this backend.
-- Needs: nothing beyond CONNECT (pg_stat_ssl always shows the own backend).
SELECT current_user::text AS current_user,
       session_user::text AS session_user,
       current_database()::text AS database,
       current_setting('server_version') AS server_version,
       current_setting('server_version_num')::int AS server_version_num,
       inet_client_addr()::text AS client_addr,
       s.ssl AS ssl,
       s.version AS tls_version,
       s.cipher AS tls_cipher
FROM (SELECT 1) AS one
LEFT JOIN pg_stat_ssl s ON s.pid = pg_backend_pid();
