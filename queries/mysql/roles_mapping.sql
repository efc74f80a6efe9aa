-- roles_mapping.sql: MariaDB role grants (Role granted to User@Host; Host '' when the grantee is a role).
-- Reads: mysql.roles_mapping. Privilege: SELECT on mysql.roles_mapping.
SELECT Host, User, Role, Admin_option FROM mysql.roles_mapping
