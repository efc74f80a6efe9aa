/**
 * A hostile JobStore (issue #9): an ordinary role that owns the database plants code for the auditor
 * to run — a shadow of lower(name) that runs COPY … TO PROGRAM, a view in place of qrtz_triggers that
 * turns read-only off and makes its owner a superuser, a shadowing operator, a row-level-security
 * policy calling a function, an event trigger, a SECURITY DEFINER function, a retyped column. The scan
 * runs as a superuser and as a least-privileged auditor login; nothing may run (no marker file, no
 * marker in the server log, role attributes and catalog unchanged) and every attack is reported by
 * QA-T01 with its owner and severity. A throwaway server of its own: the attacks change roles.
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../../src/report/report.js';
import { parseReport, runCli } from '../../support/cli.js';
import { QUARTZ_PG_SCHEMA } from '../../support/pg-quartz.js';
import { acquirePostgres, adminSql, type PgServer } from '../../support/pg-server.js';

const got = await acquirePostgres({ fresh: true });
const server = 'skip' in got ? undefined : (got as PgServer);
const DB = 'hostile';
const markers = mkdtempSync(join(tmpdir(), 'qrtz-hostile-'));
chmodSync(markers, 0o777);

/** Everything the attacks build, as the database-owning role `mallory` (the event trigger needs a superuser). */
function attackSql(dir: string): string {
  return `
SET ROLE mallory;
${QUARTZ_PG_SCHEMA};
INSERT INTO qrtz_job_details VALUES ('S', 'job1', 'G', NULL, 'App.Jobs.Nightly', true, false, false, false, '\\x00');
INSERT INTO qrtz_triggers (sched_name, trigger_name, trigger_group, job_name, job_group, trigger_state, trigger_type, start_time, job_data)
  VALUES ('S', 't1', 'G', 'job1', 'G', 'WAITING', 'SIMPLE', 638000000000000000, '\\x00');
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO quartz_app;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO auditor;

-- What every attack calls when it runs: a line in the server log and, where the caller may, an OS command.
CREATE FUNCTION public.qa_hit(what text) RETURNS boolean LANGUAGE plpgsql AS $f$
BEGIN
  RAISE LOG 'QRTZ_HOSTILE_RAN % as %', what, current_user;
  BEGIN
    EXECUTE pg_catalog.format('COPY (SELECT 1) TO PROGRAM %L', 'touch ${dir}/' || what);
  EXCEPTION WHEN OTHERS THEN NULL;
  END;
  RETURN true;
END $f$;

-- 1. public.lower(name) beats pg_catalog.lower(text) for lower(c.relname).
CREATE FUNCTION public.lower(name) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN PERFORM public.qa_hit('lower'); RETURN pg_catalog.lower($1::text); END $f$;

-- 2. A view in place of qrtz_triggers: read-only off for the next transactions, then ALTER ROLE … SUPERUSER.
ALTER TABLE qrtz_triggers RENAME TO qrtz_triggers_real;
CREATE FUNCTION public.escalate() RETURNS boolean LANGUAGE plpgsql AS $f$
BEGIN
  PERFORM public.qa_hit('view');
  PERFORM pg_catalog.set_config('default_transaction_read_only', 'off', false);
  BEGIN EXECUTE 'ALTER ROLE mallory SUPERUSER'; EXCEPTION WHEN OTHERS THEN NULL; END;
  RETURN true;
END $f$;
CREATE VIEW qrtz_triggers AS SELECT * FROM qrtz_triggers_real WHERE public.escalate();
GRANT SELECT, INSERT, UPDATE, DELETE ON qrtz_triggers TO quartz_app;
GRANT SELECT ON qrtz_triggers TO auditor;

-- 3. An operator shadowing the built-in || for (name, text).
CREATE FUNCTION public.qa_concat(name, text) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN PERFORM public.qa_hit('operator'); RETURN $1::text OPERATOR(pg_catalog.||) $2; END $f$;
CREATE OPERATOR public.|| (LEFTARG = name, RIGHTARG = text, FUNCTION = public.qa_concat);

-- 4. A policy calling a function, for every reader of qrtz_job_details.
CREATE FUNCTION public.spy() RETURNS boolean LANGUAGE plpgsql AS $f$ BEGIN RETURN public.qa_hit('policy'); END $f$;
ALTER TABLE qrtz_job_details ENABLE ROW LEVEL SECURITY;
CREATE POLICY watch ON qrtz_job_details USING (public.spy());

-- 5. A SECURITY DEFINER function anyone may call.
CREATE FUNCTION public.run_as_owner() RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER AS $f$
BEGIN RETURN public.qa_hit('secdef'); END $f$;

-- 6. A Quartz column retyped to a type of the owner's.
CREATE DOMAIN public.blob AS bytea;
ALTER TABLE qrtz_calendars ALTER COLUMN calendar TYPE public.blob;

-- 8. Settings for every session of this database: its own schema first, row security on.
ALTER DATABASE ${DB} SET search_path = public, pg_catalog;
ALTER DATABASE ${DB} SET row_security = on;

-- 7. The event trigger's function (the trigger itself is created by the superuser, last).
CREATE FUNCTION public.on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $f$
BEGIN PERFORM public.qa_hit('event-trigger'); END $f$;
RESET ROLE;
`;
}

const ROLE_STATE =
  'SELECT rolname, rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls, rolcanlogin FROM pg_roles ORDER BY rolname';
const CATALOG_STATE = `SELECT (SELECT count(*) FROM pg_class)::int AS relations, (SELECT count(*) FROM pg_proc)::int AS routines,
  (SELECT count(*) FROM pg_operator)::int AS operators, (SELECT count(*) FROM pg_namespace)::int AS schemas,
  (SELECT count(*) FROM pg_event_trigger)::int AS event_triggers, (SELECT count(*) FROM pg_policy)::int AS policies,
  (SELECT count(*) FROM pg_db_role_setting)::int AS role_settings`;

function t01(report: Report) {
  return report.findings
    .filter((f) => f.check === 'QA-T01' && f.status === 'fail')
    .map((f) => ({
      kind: String(f.evidence?.kind),
      name: String(f.evidence?.name),
      severity: f.severity,
      message: f.message,
    }));
}

describe.skipIf(!server)('a hostile JobStore runs nothing as the auditor', () => {
  const s = server as PgServer;
  let rolesBefore: unknown[];
  let catalogBefore: unknown;
  let withFdw = false;
  beforeAll(async () => {
    await adminSql(
      s,
      'postgres',
      `CREATE ROLE mallory LOGIN; CREATE ROLE quartz_app LOGIN; CREATE ROLE auditor LOGIN;
       GRANT pg_read_all_settings, pg_monitor TO auditor`,
    );
    await adminSql(s, 'postgres', `CREATE DATABASE ${DB} OWNER mallory`);
    await adminSql(s, DB, attackSql(markers));
    // 9. A foreign table (file_fdw, reading a program's output) as a child of qrtz_fired_triggers:
    // reading the parent would run the program. Built by the superuser (file_fdw programs need
    // pg_execute_server_program), owned by mallory. file_fdw ships with the server; skip loudly without it.
    try {
      await adminSql(
        s,
        DB,
        `CREATE EXTENSION file_fdw; CREATE SERVER files FOREIGN DATA WRAPPER file_fdw;
         CREATE FOREIGN TABLE public.fired_more () INHERITS (public.qrtz_fired_triggers) SERVER files
           OPTIONS (program 'touch ${markers}/fdw', format 'csv');
         ALTER FOREIGN TABLE public.fired_more OWNER TO mallory;`,
      );
      withFdw = true;
    } catch (err) {
      console.warn(`SKIPPED (file_fdw attack): ${(err as Error).message}`);
    }
    // Last: from here on, any DDL in the database runs the event trigger's function.
    await adminSql(s, DB, 'CREATE EVENT TRIGGER qa_on_ddl ON ddl_command_start EXECUTE FUNCTION public.on_ddl()');
    rolesBefore = (await adminSql(s, 'postgres', ROLE_STATE)).rows;
    catalogBefore = (await adminSql(s, DB, CATALOG_STATE)).rows[0];
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
    rmSync(markers, { recursive: true, force: true });
  });

  const scan = async (user: string) =>
    await runCli([
      'scan',
      `postgres://${user}@127.0.0.1:${s.port}/${DB}?sslmode=disable`,
      '--service-account',
      'quartz_app',
      '--format',
      'json',
    ]);

  async function assertNothingRan(): Promise<void> {
    expect((await adminSql(s, 'postgres', ROLE_STATE)).rows).toEqual(rolesBefore);
    expect(readdirSync(markers)).toEqual([]);
    expect(s.log().match(/QRTZ_HOSTILE_RAN.*/g) ?? []).toEqual([]);
    expect((await adminSql(s, DB, CATALOG_STATE)).rows[0]).toEqual(catalogBefore);
  }

  for (const user of ['postgres', 'auditor']) {
    it(`as ${user === 'postgres' ? 'a superuser' : 'a least-privileged auditor login'}: nothing runs, every attack is QA-T01`, async () => {
      const first = await scan(user);
      // A second scan would run whatever the first one switched on (the view's read-write session).
      const run = await scan(user);
      await assertNothingRan();
      expect(first.code).toBe(1);
      expect(run.code).toBe(1);
      expect(run.stderr).not.toMatch(/QRTZ_HOSTILE|SASL|Error:/);
      const report = parseReport(run);
      const found = t01(report);
      const kinds = (k: string) => found.filter((f) => f.kind === k);
      expect(kinds('not-a-table').map((f) => [f.name, f.severity])).toEqual([
        ...(withFdw ? [['public.qrtz_fired_triggers', 'critical']] : []),
        ['public.qrtz_triggers', 'critical'],
      ]);
      expect(kinds('not-a-table').find((f) => f.name === 'public.qrtz_triggers')?.message).toMatch(
        /owner mallory.*view/,
      );
      if (withFdw) {
        expect(kinds('not-a-table')[0]?.message).toContain('public.fired_more (f, owner mallory)');
        expect(report.unreadable).toEqual(
          expect.arrayContaining([expect.objectContaining({ what: 'tables.FIRED_TRIGGERS', cause: 'tamper' })]),
        );
      }
      expect(kinds('shadow-function').map((f) => [f.name, f.severity])).toEqual([['public.lower(name)', 'critical']]);
      expect(kinds('shadow-operator').map((f) => [f.name, f.severity])).toEqual([
        ['public.||(name, text)', 'critical'],
      ]);
      expect(kinds('security-definer').map((f) => [f.name, f.severity])).toEqual([
        ['public.run_as_owner()', 'critical'],
      ]);
      expect(kinds('event-trigger').map((f) => [f.name, f.severity])).toEqual([['qa_on_ddl', 'critical']]);
      expect(kinds('policy').map((f) => [f.name, f.severity])).toEqual([['watch', 'high']]);
      expect(kinds('column-type').map((f) => [f.name, f.severity])).toEqual([
        ['public.qrtz_calendars.calendar', 'high'],
      ]);
      for (const f of found.filter((x) => x.kind !== 'event-trigger')) expect(f.message).toContain('mallory');
      // The retyped table is not read; the view is not read (it is not a Quartz table).
      expect(report.unreadable).toEqual(
        expect.arrayContaining([expect.objectContaining({ what: 'tables.CALENDARS', cause: 'tamper' })]),
      );
      if (user === 'auditor') {
        // The policy's table cannot be read without running the policy: reported, not read.
        expect(report.unreadable).toEqual(
          expect.arrayContaining([expect.objectContaining({ what: 'tables.JOB_DETAILS', cause: 'tamper' })]),
        );
      }
    }, 60_000);
  }
});
