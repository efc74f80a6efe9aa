-- server-principals.sql: logins and server roles (sid as hex; the sa login is sid 0x01 whatever its name).
-- Reads: sys.server_principals. Permission: own login and fixed server roles always; VIEW ANY DEFINITION
-- (2022: VIEW ANY SECURITY DEFINITION) for every login.
SELECT sp.principal_id, sp.name, sp.type, sp.type_desc, sp.is_disabled, sp.is_fixed_role,
       CONVERT(varchar(172), sp.sid, 1) AS sid_hex, sp.default_database_name
FROM sys.server_principals AS sp
