-- column-types.sql — columns of the Quartz tables whose type is not a built-in base type of
-- pg_catalog (a domain, enum, composite or range, or any type created in the database): such a type
-- can carry output functions or casts written by the database's owner, so the table is not read.
-- $1 = table oids. Built-in = oid below FirstNormalObjectId (16384), in pg_catalog, typtype 'b'.
-- Reads: pg_attribute, pg_type, pg_namespace. Needs: nothing.
SELECT a.attrelid::pg_catalog.int8 AS oid,
       a.attname::pg_catalog.text AS column_name,
       tn.nspname::pg_catalog.text AS type_schema,
       t.typname::pg_catalog.text AS type_name,
       t.typtype::pg_catalog.text AS type_kind,
       pg_catalog.pg_get_userbyid(t.typowner)::pg_catalog.text AS type_owner
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_type t ON t.oid OPERATOR(pg_catalog.=) a.atttypid
JOIN pg_catalog.pg_namespace tn ON tn.oid OPERATOR(pg_catalog.=) t.typnamespace
WHERE a.attrelid OPERATOR(pg_catalog.=) ANY ($1::pg_catalog.oid[])
  AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped
  AND NOT (t.oid OPERATOR(pg_catalog.<) 16384::pg_catalog.oid
           AND tn.nspname OPERATOR(pg_catalog.=) 'pg_catalog'
           AND t.typtype OPERATOR(pg_catalog.=) 'b')
ORDER BY 1, 2;
