-- role_edges.sql: MySQL 8 role grants (role FROM_USER@FROM_HOST granted to TO_USER@TO_HOST).
-- Reads: mysql.role_edges. Privilege: SELECT on mysql.role_edges.
SELECT FROM_HOST, FROM_USER, TO_HOST, TO_USER, WITH_ADMIN_OPTION FROM mysql.role_edges
