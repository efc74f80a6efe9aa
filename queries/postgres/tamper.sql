-- tamper.sql — objects that can rewrite or filter Quartz rows behind the scheduler's back: user
-- triggers, rewrite rules (other than a view's _RETURN), row-level security policies on the Quartz
-- tables, and every event trigger in the database, each with its owner (the trigger function's,
-- the table's for rules and policies, the event trigger's). $1 = table oids.
-- Runs with search_path = pg_catalog, pg_temp: only built-ins resolve.
-- Reads: pg_trigger, pg_rewrite, pg_policy, pg_event_trigger, pg_proc. Needs: nothing.
SELECT 'trigger' AS kind, t.tgname::text AS name, c.relname::text AS table_name,
       pg_get_userbyid(p.proowner)::text AS owner,
       'function ' || p.proname || CASE WHEN p.prosecdef THEN ' (SECURITY DEFINER)' ELSE '' END
         || CASE t.tgenabled WHEN 'D' THEN ', disabled' ELSE '' END AS detail
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_proc p ON p.oid = t.tgfoid
WHERE t.tgrelid = ANY ($1::oid[]) AND NOT t.tgisinternal
UNION ALL
SELECT 'rule', r.rulename::text, c.relname::text, pg_get_userbyid(c.relowner)::text, 'on ' || CASE r.ev_type WHEN '1' THEN 'SELECT' WHEN '2' THEN 'UPDATE'
         WHEN '3' THEN 'INSERT' WHEN '4' THEN 'DELETE' ELSE r.ev_type::text END
         || CASE WHEN r.is_instead THEN ' DO INSTEAD' ELSE '' END
FROM pg_rewrite r
JOIN pg_class c ON c.oid = r.ev_class
WHERE r.ev_class = ANY ($1::oid[]) AND r.rulename <> '_RETURN'
UNION ALL
SELECT 'policy', pol.polname::text, c.relname::text, pg_get_userbyid(c.relowner)::text,
       'for ' || CASE pol.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
         WHEN 'd' THEN 'DELETE' ELSE 'ALL' END || CASE WHEN pol.polpermissive THEN '' ELSE ' (restrictive)' END
FROM pg_policy pol
JOIN pg_class c ON c.oid = pol.polrelid
WHERE pol.polrelid = ANY ($1::oid[])
UNION ALL
SELECT 'event-trigger', e.evtname::text, NULL, pg_get_userbyid(e.evtowner)::text,
       'on ' || e.evtevent || ', function ' || p.proname || CASE e.evtenabled WHEN 'D' THEN ', disabled' ELSE '' END
FROM pg_event_trigger e
JOIN pg_proc p ON p.oid = e.evtfoid
ORDER BY 1, 2;
