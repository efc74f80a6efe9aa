-- principals.sql: database users and roles (type S SQL user, U Windows user, G Windows group, E/X Entra,
-- R database role, A application role, C/K certificate/key-mapped), default schema, authentication type.
-- Reads: sys.database_principals (sid as hex, never anything secret).
-- Permission: own user, own roles and public always; VIEW DEFINITION on the database for all of them.
SELECT p.principal_id, p.name, p.type, p.type_desc, p.default_schema_name, p.owning_principal_id,
       p.is_fixed_role, p.authentication_type, p.authentication_type_desc,
       CONVERT(varchar(172), p.sid, 1) AS sid_hex
FROM sys.database_principals AS p
