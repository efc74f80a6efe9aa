-- tde-2016.sql: as tde.sql for SQL Server 2016/2017 (no *_desc or scan-state columns there).
-- Reads: sys.dm_database_encryption_keys. Permission: VIEW SERVER STATE.
SELECT k.database_id, DB_NAME(k.database_id) AS database_name, k.encryption_state, k.key_algorithm,
       k.key_length, k.encryptor_type, k.percent_complete
FROM sys.dm_database_encryption_keys AS k
WHERE k.database_id = DB_ID() OR k.database_id = DB_ID(N'tempdb')
