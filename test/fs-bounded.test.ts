/** The size-bounded JSON read of convert and evaluate (src/fs-bounded.ts): the bound holds for files and devices. */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../src/errors.js';
import { readEvidence } from '../src/evidence/evidence.js';
import { readBoundedJson } from '../src/fs-bounded.js';

const dir = mkdtempSync(join(tmpdir(), 'qrtz-fs-bounded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spec = { maxBytes: 16, what: 'a test file', label: 'the test file ', reads: 'the test reads JSON' };

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('no error');
}

describe('readBoundedJson', () => {
  it('reads a file at the bound; one byte more is refused before it is read', () => {
    const at = join(dir, 'at.json');
    writeFileSync(at, `"${'x'.repeat(14)}"`);
    expect(readBoundedJson(at, spec)).toEqual({ doc: 'x'.repeat(14), shown: at });
    const over = join(dir, 'over.json');
    writeFileSync(over, `"${'x'.repeat(15)}"`);
    expect(errorOf(() => readBoundedJson(over, spec))).toBe(`${over}: larger than 16 bytes; not a test file`);
  });

  it.skipIf(!existsSync('/dev/zero'))('a device without a size (/dev/zero never ends) stops at the bound', () => {
    expect(errorOf(() => readBoundedJson('/dev/zero', spec))).toBe('/dev/zero: larger than 16 bytes; not a test file');
  });

  it('a directory is one "cannot read" line', () => {
    expect(errorOf(() => readBoundedJson(dir, spec))).toMatch(/^cannot read the test file .*: EISDIR/);
  });

  it("evaluate's evidence file: the path in the system's own message is escaped too", () => {
    const m = errorOf(() => readEvidence(join(dir, 'gone\u001b]0;x\u0007.json')));
    expect(m).toMatch(
      /^cannot read the evidence file .*gone\\x1b\]0;x\\x07\.json: ENOENT: .*gone\\x1b\]0;x\\x07\.json'/,
    );
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the point of the test
    expect(m).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });
});
