-- database.sql: the audited database: owner, TRUSTWORTHY, ownership chaining, row-versioning options, is_encrypted.
-- Reads: sys.databases (the current database's row is always visible), SUSER_SNAME(owner_sid).
-- Permission: none for the current database.
SELECT d.name, d.database_id, CONVERT(varchar(172), d.owner_sid, 1) AS owner_sid_hex,
       SUSER_SNAME(d.owner_sid) AS owner_login, d.is_trustworthy_on, d.is_db_chaining_on,
       d.snapshot_isolation_state, d.snapshot_isolation_state_desc, d.is_read_committed_snapshot_on,
       d.is_encrypted, d.compatibility_level
FROM sys.databases AS d
WHERE d.database_id = DB_ID()
