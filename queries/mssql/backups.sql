-- backups.sql: the 20 most recent backups of the audited database and whether they were encrypted
-- (key_algorithm / encryptor_type are NULL for an unencrypted backup; SQL Server 2014+).
-- Reads: msdb.dbo.backupset. Permission: SELECT on msdb.dbo.backupset (not granted to public by default:
-- without it this is not visible, never "no backups").
SELECT TOP (20) b.backup_set_id, b.database_name, b.type, b.backup_finish_date, b.is_copy_only,
       b.key_algorithm, b.encryptor_type
FROM msdb.dbo.backupset AS b
WHERE b.database_name = DB_NAME()
ORDER BY b.backup_finish_date DESC
