-- tablespaces_mariadb.sql: MariaDB encryption state of the Quartz tables' tablespaces.
-- Reads: information_schema.INNODB_TABLESPACES_ENCRYPTION (NAME 'db/table', ENCRYPTION_SCHEME 1 = encrypted,
--        CURRENT_KEY_ID, MIN_KEY_VERSION). A table with no row there has never been encrypted.
-- Privilege: PROCESS.
-- Parameters: list of 'db/table' names.
SELECT NAME, ENCRYPTION_SCHEME, MIN_KEY_VERSION, CURRENT_KEY_VERSION, CURRENT_KEY_ID
FROM information_schema.INNODB_TABLESPACES_ENCRYPTION
WHERE NAME IN (?)
