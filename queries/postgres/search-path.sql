-- search-path.sql — the search_path the service account gets in this database: a per-role-and-database
-- setting wins over a per-role one, then a per-database one, then the server default.
-- $1 = role name. Reads: pg_db_role_setting, pg_settings. Needs: nothing.
SELECT coalesce(
  (SELECT substr(cfg, 13) FROM pg_db_role_setting s, unnest(s.setconfig) cfg
    WHERE s.setrole = (SELECT oid FROM pg_roles WHERE rolname = $1)
      AND s.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND cfg LIKE 'search\_path=%' LIMIT 1),
  (SELECT substr(cfg, 13) FROM pg_db_role_setting s, unnest(s.setconfig) cfg
    WHERE s.setrole = (SELECT oid FROM pg_roles WHERE rolname = $1) AND s.setdatabase = 0
      AND cfg LIKE 'search\_path=%' LIMIT 1),
  (SELECT substr(cfg, 13) FROM pg_db_role_setting s, unnest(s.setconfig) cfg
    WHERE s.setrole = 0 AND s.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND cfg LIKE 'search\_path=%' LIMIT 1),
  (SELECT reset_val FROM pg_settings WHERE name = 'search_path')
) AS search_path;
