-- database-owner.sql — owner of the current database. Reads: pg_database. Needs: nothing.
SELECT pg_get_userbyid(datdba)::text AS owner FROM pg_database WHERE datname = current_database();
