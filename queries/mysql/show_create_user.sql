-- show_create_user.sql: MySQL 8 — the current account's CREATE USER statement, read only for its REQUIRE clause
-- (NONE / SSL / X509 / SUBJECT / ISSUER / CIPHER) when mysql.user is not readable. The rest of the line (it carries
-- the password hash) is discarded by the parser and never stored or printed.
-- Privilege: none for the own account.
SHOW CREATE USER CURRENT_USER()
