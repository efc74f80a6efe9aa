-- sql-logins.sql: SQL-authentication logins and their password policy flags (CHECK_POLICY, CHECK_EXPIRATION).
-- Never reads password_hash.
-- Reads: sys.sql_logins. Permission: own login always; VIEW ANY DEFINITION for all.
SELECT l.principal_id, l.name, CONVERT(varchar(172), l.sid, 1) AS sid_hex, l.is_disabled,
       l.is_policy_checked, l.is_expiration_checked
FROM sys.sql_logins AS l
