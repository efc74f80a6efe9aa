-- show_grants_for.sql: grants of one role granted to the current account (fallback path when the grant tables
-- are not readable). {{account}} is an escaped literal: 'app_rw' (MariaDB role) or 'app_rw'@'%' (MySQL role).
-- Privilege: none for roles granted to the current account; others need SELECT on the mysql schema.
SHOW GRANTS FOR {{account}}
