-- show_grants_using.sql: MySQL 8 — the current account's privileges with one granted role applied, e.g.
-- SHOW GRANTS FOR CURRENT_USER() USING 'app_rw'@'%'. Used when SHOW GRANTS FOR the role itself is denied
-- (it needs SELECT on the mysql schema); the role's privileges are the lines not in plain SHOW GRANTS.
-- {{role}} is an escaped account literal. Privilege: none (own account, roles granted to it).
SHOW GRANTS FOR CURRENT_USER() USING {{role}}
