-- Reads: the schema catalog (sqlite_master: tables, views, indexes and triggers with their SQL) for table discovery
-- and tamper detection (non-stock triggers). Needs: read access to the database file (SQLite has no privileges).
SELECT type, name, tbl_name, sql
FROM sqlite_master
ORDER BY type, name;
