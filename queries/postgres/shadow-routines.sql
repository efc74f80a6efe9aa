-- shadow-routines.sql — code the database's owners can plant for other sessions: functions and
-- operators outside pg_catalog with the name and arity of a built-in whose argument types are all
-- built-in (a better or equal match than the built-in for sessions whose search_path reaches them),
-- and SECURITY DEFINER functions the service account or PUBLIC may execute.
-- $1 = service account role name (may not exist). Built-in = oid below 16384.
-- Reads: pg_proc, pg_operator, pg_namespace, has_function_privilege. Needs: nothing.
SELECT 'shadow-function' AS kind,
       n.nspname::pg_catalog.text OPERATOR(pg_catalog.||) '.' OPERATOR(pg_catalog.||) p.proname::pg_catalog.text
         OPERATOR(pg_catalog.||) '(' OPERATOR(pg_catalog.||) pg_catalog.pg_get_function_identity_arguments(p.oid)
         OPERATOR(pg_catalog.||) ')' AS name,
       pg_catalog.pg_get_userbyid(p.proowner)::pg_catalog.text AS owner,
       'shadows the built-in pg_catalog.' OPERATOR(pg_catalog.||) p.proname::pg_catalog.text
         OPERATOR(pg_catalog.||) CASE WHEN p.prosecdef THEN ' (SECURITY DEFINER)' ELSE '' END AS detail
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) p.pronamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND EXISTS (SELECT 1 FROM pg_catalog.pg_proc b
              WHERE b.pronamespace OPERATOR(pg_catalog.=) 'pg_catalog'::pg_catalog.regnamespace
                AND b.proname OPERATOR(pg_catalog.=) p.proname
                AND b.pronargs OPERATOR(pg_catalog.=) p.pronargs)
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.unnest(p.proargtypes::pg_catalog.oid[]) AS a(t)
                  WHERE a.t OPERATOR(pg_catalog.>=) 16384::pg_catalog.oid)
UNION ALL
SELECT 'shadow-operator',
       n.nspname::pg_catalog.text OPERATOR(pg_catalog.||) '.' OPERATOR(pg_catalog.||) o.oprname::pg_catalog.text
         OPERATOR(pg_catalog.||) '(' OPERATOR(pg_catalog.||) pg_catalog.format_type(o.oprleft, NULL)
         OPERATOR(pg_catalog.||) ', ' OPERATOR(pg_catalog.||) pg_catalog.format_type(o.oprright, NULL)
         OPERATOR(pg_catalog.||) ')',
       pg_catalog.pg_get_userbyid(o.oprowner)::pg_catalog.text,
       'shadows the built-in operator ' OPERATOR(pg_catalog.||) o.oprname::pg_catalog.text
         OPERATOR(pg_catalog.||) ', function ' OPERATOR(pg_catalog.||) o.oprcode::pg_catalog.text
FROM pg_catalog.pg_operator o
JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) o.oprnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND o.oprleft OPERATOR(pg_catalog.<) 16384::pg_catalog.oid
  AND o.oprright OPERATOR(pg_catalog.<) 16384::pg_catalog.oid
  AND EXISTS (SELECT 1 FROM pg_catalog.pg_operator b
              WHERE b.oprnamespace OPERATOR(pg_catalog.=) 'pg_catalog'::pg_catalog.regnamespace
                AND b.oprname OPERATOR(pg_catalog.=) o.oprname)
UNION ALL
SELECT 'security-definer',
       n.nspname::pg_catalog.text OPERATOR(pg_catalog.||) '.' OPERATOR(pg_catalog.||) p.proname::pg_catalog.text
         OPERATOR(pg_catalog.||) '(' OPERATOR(pg_catalog.||) pg_catalog.pg_get_function_identity_arguments(p.oid)
         OPERATOR(pg_catalog.||) ')',
       pg_catalog.pg_get_userbyid(p.proowner)::pg_catalog.text,
       'SECURITY DEFINER, runs as ' OPERATOR(pg_catalog.||) pg_catalog.pg_get_userbyid(p.proowner)::pg_catalog.text
         OPERATOR(pg_catalog.||) ', executable by '
         OPERATOR(pg_catalog.||) CASE WHEN EXISTS (
             SELECT 1 FROM pg_catalog.aclexplode(COALESCE(p.proacl, pg_catalog.acldefault('f', p.proowner))) x
             WHERE x.grantee OPERATOR(pg_catalog.=) 0::pg_catalog.oid AND x.privilege_type OPERATOR(pg_catalog.=) 'EXECUTE')
           THEN 'PUBLIC' ELSE 'the service account' END
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) p.pronamespace
WHERE p.prosecdef
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND (EXISTS (SELECT 1 FROM pg_catalog.aclexplode(COALESCE(p.proacl, pg_catalog.acldefault('f', p.proowner))) x
               WHERE x.grantee OPERATOR(pg_catalog.=) 0::pg_catalog.oid AND x.privilege_type OPERATOR(pg_catalog.=) 'EXECUTE')
       OR (EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) $1::pg_catalog.name)
           AND pg_catalog.has_function_privilege($1::pg_catalog.text, p.oid, 'EXECUTE')))
ORDER BY 1, 2
LIMIT 500;
