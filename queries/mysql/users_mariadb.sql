-- users_mariadb.sql: accounts and roles with their attributes (MariaDB 10.4+). Never reads the password hash
-- itself: only whether it is empty, and the plugin names of alternative methods (auth_or).
-- Reads: mysql.global_priv (User, Host, Priv JSON: plugin, authentication_string, auth_or, account_locked,
--        ssl_type, is_role, default_role).
-- Privilege: SELECT on mysql.global_priv.
SELECT User, Host,
       JSON_VALUE(Priv, '$.plugin') AS plugin,
       (COALESCE(JSON_VALUE(Priv, '$.authentication_string'), '') = '') AS empty_auth,
       JSON_EXTRACT(Priv, '$.auth_or[*].plugin') AS auth_or_plugins,
       COALESCE(JSON_VALUE(Priv, '$.account_locked'), 'false') AS account_locked,
       COALESCE(JSON_VALUE(Priv, '$.ssl_type'), 0) AS ssl_type,
       COALESCE(JSON_VALUE(Priv, '$.is_role'), 'false') AS is_role,
       COALESCE(JSON_VALUE(Priv, '$.default_role'), '') AS default_role
FROM mysql.global_priv
