-- tablespaces_mysql.sql: MySQL 8 encryption flag of the Quartz tables' tablespaces (file-per-table 'db/table',
-- or the general tablespace a table lives in).
-- Reads: information_schema.INNODB_TABLES (NAME 'db/table', SPACE) joined to INNODB_TABLESPACES (ENCRYPTION 'Y'/'N').
-- Privilege: PROCESS.
-- Parameters: list of 'db/table' names (lower case when lower_case_table_names > 0).
SELECT t.NAME AS TABLE_NAME, s.NAME AS SPACE_NAME, s.ENCRYPTION, s.SPACE_TYPE
FROM information_schema.INNODB_TABLES t
JOIN information_schema.INNODB_TABLESPACES s ON s.SPACE = t.SPACE
WHERE t.NAME IN (?)
