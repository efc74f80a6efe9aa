-- server.sql: server product and version, the connected account, the default database.
-- Reads: VERSION(), @@version_comment, CURRENT_USER() (the account the server matched, 'user@host'),
--        USER() (what the client sent), DATABASE(), @@lower_case_table_names.
-- Privilege: none.
SELECT VERSION() AS version, @@version_comment AS version_comment, CURRENT_USER() AS current_account,
       USER() AS session_user, DATABASE() AS current_db, @@lower_case_table_names AS lower_case_table_names
