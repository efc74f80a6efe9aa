-- databases-encrypted.sql: is_encrypted of the audited database and of tempdb (tempdb is encrypted as soon as
-- any database on the instance uses TDE). is_encrypted is also 1 while encryption is in progress.
-- Reads: sys.databases. Permission: VIEW ANY DATABASE (granted to public by default) for the tempdb row.
SELECT d.name, d.database_id, d.is_encrypted
FROM sys.databases AS d
WHERE d.database_id = DB_ID() OR d.name = N'tempdb'
