-- tde.sql: Transparent Data Encryption state of the audited database and tempdb (SQL Server 2019+ columns:
-- encryption_state_desc, encryption_scan_state, encryption_scan_state_desc; tde-2016.sql reads 2016/2017).
-- encryption_state: 0 none, 1 unencrypted, 2 encryption in progress, 3 encrypted, 4 key change in progress,
-- 5 decryption in progress, 6 protection change in progress.
-- Reads: sys.dm_database_encryption_keys. Permission: VIEW SERVER STATE (2022: VIEW SERVER SECURITY STATE);
-- Azure SQL Database: VIEW DATABASE STATE.
SELECT k.database_id, DB_NAME(k.database_id) AS database_name, k.encryption_state, k.encryption_state_desc,
       k.encryption_scan_state, k.encryption_scan_state_desc, k.key_algorithm, k.key_length, k.encryptor_type,
       k.percent_complete
FROM sys.dm_database_encryption_keys AS k
WHERE k.database_id = DB_ID() OR k.database_id = DB_ID(N'tempdb')
