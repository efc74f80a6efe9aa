-- server.sql: version, edition, authentication mode and who the audit session is.
-- Reads: SERVERPROPERTY (ProductVersion, ProductLevel, Edition, EngineEdition, IsIntegratedSecurityOnly),
-- SUSER_NAME(), ORIGINAL_LOGIN(), USER_NAME(), DB_NAME(), SCHEMA_NAME().
-- Permission: none (public). IsIntegratedSecurityOnly = 0 means mixed mode (SQL logins accepted).
SELECT CONVERT(nvarchar(128), SERVERPROPERTY('ProductVersion')) AS product_version,
       CONVERT(nvarchar(128), SERVERPROPERTY('ProductLevel')) AS product_level,
       CONVERT(nvarchar(128), SERVERPROPERTY('Edition')) AS edition,
       CONVERT(int, SERVERPROPERTY('EngineEdition')) AS engine_edition,
       CONVERT(int, SERVERPROPERTY('IsIntegratedSecurityOnly')) AS integrated_security_only,
       SUSER_NAME() AS login_name,
       ORIGINAL_LOGIN() AS original_login,
       USER_NAME() AS user_name,
       DB_NAME() AS database_name,
       SCHEMA_NAME() AS default_schema
