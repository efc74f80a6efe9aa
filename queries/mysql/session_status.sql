-- session_status.sql: TLS state of the audit's own connection.
-- Reads: session status Ssl_cipher, Ssl_version ('' when the session is not encrypted).
-- Privilege: none.
SHOW SESSION STATUS WHERE Variable_name IN ('Ssl_cipher', 'Ssl_version')
