-- users_mysql.sql: accounts and their attributes (MySQL 8). Never reads the password hash itself: only whether
-- it is empty.
-- Reads: mysql.user (User, Host, ssl_type, plugin, account_locked, authentication_string = '').
-- Privilege: SELECT on mysql.user (column-level SELECT on these columns is enough).
SELECT User, Host, ssl_type, plugin, account_locked, (authentication_string = '') AS empty_auth
FROM mysql.user
