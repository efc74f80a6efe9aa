-- Reads: the SQLite library version the auditor links (the file format is version-independent).
-- Needs: nothing.
SELECT sqlite_version() AS version;
