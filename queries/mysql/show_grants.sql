-- show_grants.sql: the current account's own grants (fallback when the grant catalogs are not visible).
-- Reads: SHOW GRANTS. Privilege: none.
SHOW GRANTS
