import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  escapeControl,
  inspectBytes,
  MAX_INPUT,
  parseInput,
  registerInspectBlob,
  runInspectBlob,
} from '../../src/commands/inspect-blob.js';
import type { Io } from '../../src/commands/io.js';
import { UserError } from '../../src/errors.js';
import { priorityQueueGadget, serializeJava, writeJobDataMap } from '../../src/fixtures/java-writer.js';

function fakeIo(stdin = ''): { io: Io; out: string[] } {
  const out: string[] = [];
  return {
    out,
    io: {
      stdout: (t) => out.push(t),
      stderr: () => {},
      stdin: Readable.from([Buffer.from(stdin)]),
      stdoutIsTTY: false,
      colorAllowed: false,
      stderrColor: false,
    },
  };
}

async function run(args: string[], stdin = ''): Promise<{ code: number; text: string }> {
  const { io, out } = fakeIo(stdin);
  let code = -1;
  const program = new Command('qrtz-audit').exitOverride();
  registerInspectBlob(program, io, (c) => {
    code = c;
  });
  await program.parseAsync(['inspect-blob', ...args], { from: 'user' });
  return { code, text: out.join('') };
}

const dir = mkdtempSync(join(tmpdir(), 'qa-inspect-'));

describe('inspect-blob input parsing', () => {
  const bytes = writeJobDataMap({ a: 'b' });
  it('hex with whitespace, \\x and 0x prefixes (psql output)', () => {
    const h = Buffer.from(bytes).toString('hex');
    expect(parseInput(Buffer.from(`\\x${h.slice(0, 20)}\n ${h.slice(20)}\n`), { hex: true })).toEqual(bytes);
    expect(parseInput(Buffer.from(`0x${h.toUpperCase()}`), { hex: true })).toEqual(bytes);
    // A whole psql result pasted, header, rule, wrapped value and footer included
    const psql = ` encode\n--------\n ${h.slice(0, 40)}+\n ${h.slice(40)}\n(1 row)\n`;
    expect(parseInput(Buffer.from(psql), { hex: true })).toEqual(bytes);
    // …but a hex-looking word is data, not a header
    expect(parseInput(Buffer.from('cafe\nbabe'), { hex: true })).toEqual(Uint8Array.from([0xca, 0xfe, 0xba, 0xbe]));
  });
  it('base64 and base64url', () => {
    expect(
      parseInput(
        Buffer.from(
          Buffer.from(bytes)
            .toString('base64')
            .replace(/(.{20})/g, '$1\n'),
        ),
        { base64: true },
      ),
    ).toEqual(bytes);
    expect(parseInput(Buffer.from(Buffer.from(bytes).toString('base64url')), { base64: true })).toEqual(bytes);
  });
  it('bad hex/base64 is a UserError (exit 2)', () => {
    expect(() => parseInput(Buffer.from('abc'), { hex: true })).toThrow(/odd number/);
    expect(() => parseInput(Buffer.from('zz'), { hex: true })).toThrow(UserError);
    expect(() => parseInput(Buffer.from('!!!'), { base64: true })).toThrow(/bad base64/);
    try {
      parseInput(Buffer.from('zz'), { hex: true });
    } catch (e) {
      expect((e as UserError).exitCode).toBe(2);
    }
  });
  it('control, C1 and bidi characters are escaped', () => {
    expect(escapeControl('a\u001b[31mb\u009b\u202ec\n')).toBe('a\\x1b[31mb\\x9b\\u202ec\\n');
  });
});

describe('inspect-blob output', () => {
  it('tree: format, typed tree with offsets, entries with secrets masked, findings', () => {
    const r = inspectBytes(
      writeJobDataMap({ smtp_password: 'Tr0ub4dor&3xyz', user: 'bob\u001b]0;pwn\u0007', n: 5 }),
      'job.ser',
    );
    expect(r.text).toContain('format: java');
    expect(r.text).toContain('quartz object: JobDataMap');
    expect(r.text).toMatch(/root: org\.quartz\.JobDataMap {2}@0x4/);
    expect(r.text).toContain('smtp_password = [REDACTED len=14]  (java.lang.String)');
    expect(r.text).toContain('user = "bob\\x1b]0;pwn\\x07"');
    expect(r.text).toContain('n = 5  (java.lang.Integer)');
    expect(r.text).not.toContain('Tr0ub4dor&3xyz');
    expect(r.text).not.toContain('\u001b');
    expect(r.text).toMatch(/findings \(\d+; \d+ per-blob checks run\):/);
  });

  it('a secret too short to register is still masked in the tree, by exact value', () => {
    const r = inspectBytes(writeJobDataMap({ password: 'q7', other: 'fine' }), 'short.ser');
    expect(r.text).toContain('password = [REDACTED len=2]');
    expect(r.text).toMatch(/@writeObject\[\d\]: java\.lang\.String = \[REDACTED len=2\]/);
    expect(r.text).not.toMatch(/"q7"/);
    const j = inspectBytes(writeJobDataMap({ password: 'q7' }), 'short.ser', { format: 'json' });
    expect(j.text).not.toContain('"q7"');
  });

  it('json: the same content, redacted, parseable', () => {
    const r = inspectBytes(writeJobDataMap({ api_token: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', k: 'v' }), 'j', {
      format: 'json',
    });
    expect(r.text).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
    const doc = JSON.parse(r.text);
    expect(doc.format).toBe('java');
    expect(doc.entries).toEqual(
      expect.arrayContaining([
        { path: ['api_token'], value: '[REDACTED len=40]', valueType: 'java.lang.String' },
        { path: ['k'], value: 'v', valueType: 'java.lang.String' },
      ]),
    );
    expect(doc.tree.type).toBe('org.quartz.JobDataMap');
  });
});

describe('inspect-blob command (commander end to end)', () => {
  it('file input, exit 0 for a clean JobDataMap', async () => {
    const f = join(dir, 'clean.ser');
    writeFileSync(f, writeJobDataMap({ greeting: 'hello' }));
    const { code, text } = await run([f]);
    expect(code).toBe(0);
    expect(text).toContain('blob: clean.ser');
    expect(text).toContain('greeting = "hello"');
    expect(text).toMatch(/findings \(0; \d+ per-blob checks run\):\n {2}none\n$/);
  });

  it('hex on stdin, exit 1 for a gadget (critical finding)', async () => {
    const hex = Buffer.from(serializeJava(priorityQueueGadget())).toString('hex');
    const { code, text } = await run(['-', '--hex'], `\\x${hex}\n`);
    expect(text).toContain('blob: (stdin)');
    expect(text).toContain('org.apache.commons.collections4.functors.InvokerTransformer');
    // Exit code 1 exactly when a failing finding at/above high is printed.
    expect(text).toMatch(/FAIL CRITICAL QA-B02/);
    expect(code).toBe(/FAIL (CRITICAL|HIGH) /.test(text) ? 1 : 0);
    expect(code).toBe(1);
  });

  it('base64 file, --format json, --max-depth', async () => {
    const f = join(dir, 'b64.txt');
    writeFileSync(f, Buffer.from(writeJobDataMap({ a: 'b' })).toString('base64'));
    const { code, text } = await run([f, '--base64', '--format', 'json', '--max-depth', '3']);
    expect(code).toBe(0);
    const doc = JSON.parse(text);
    expect(doc.limited).toBe('depth>3');
    expect(doc.findings.map((x: { check: string }) => x.check)).toContain('QA-B04');
  });

  it('unreadable file and bad options are UserErrors', async () => {
    await expect(run([join(dir, 'missing.ser')])).rejects.toThrow(/cannot read .*missing\.ser: ENOENT/);
    await expect(run([join(dir, 'clean.ser'), '--format', 'xml'])).rejects.toThrow(/--format must be tree or json/);
    await expect(run([join(dir, 'clean.ser'), '--max-depth', '0'])).rejects.toThrow(UserError);
    await expect(run(['-', '--hex'], 'xyz')).rejects.toThrow(/bad hex/);
  });

  it('a file larger than the input bound is refused with one line, like standard input (bound injected)', async () => {
    const f = join(dir, 'big.bin');
    writeFileSync(f, Buffer.alloc(3 * 1024 * 1024, 0x41));
    const { io } = fakeIo();
    await expect(runInspectBlob(f, {}, io, 1024 * 1024)).rejects.toThrow(
      /big\.bin is larger than 1048576 bytes \(1 MiB, the bound for files and standard input\): not read/,
    );
    const { io: io2 } = fakeIo('x'.repeat(2 * 1024 * 1024));
    await expect(runInspectBlob('-', {}, io2, 1024 * 1024)).rejects.toThrow(/standard input is larger than 1048576/);
    await expect(runInspectBlob(dir, {}, io)).rejects.toThrow(/cannot read .*: EISDIR/);
  });

  it.skipIf(process.platform !== 'linux')(
    'inspect-blob /dev/zero stops at the bound: exit 2, one line, bounded memory',
    () => {
      const bin = join(import.meta.dirname, '..', '..', 'bin', 'qrtz-audit.js');
      const r = spawnSync(process.execPath, ['--max-old-space-size=1024', bin, 'inspect-blob', '/dev/zero'], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`/dev/zero is larger than ${MAX_INPUT} bytes`);
    },
    70_000,
  );
});
