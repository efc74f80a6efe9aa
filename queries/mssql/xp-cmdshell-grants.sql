-- xp-cmdshell-grants.sql: who holds EXECUTE (or DENY) on master.sys.xp_cmdshell, by master database user.
-- Reads: master.sys.database_permissions, master.sys.database_principals.
-- Permission: VIEW DEFINITION in master (otherwise only the login's own rows and public are visible).
SELECT pr.name AS grantee, CONVERT(varchar(172), pr.sid, 1) AS sid_hex, p.permission_name, p.state
FROM master.sys.database_permissions AS p
INNER JOIN master.sys.database_principals AS pr ON pr.principal_id = p.grantee_principal_id
WHERE p.class = 1 AND p.major_id = OBJECT_ID(N'master.sys.xp_cmdshell')
