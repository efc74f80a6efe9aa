/** #10 part 5: safeText masks inline credentials without leaking the match offset, and escapes bidi controls. */
import { describe, expect, it } from 'vitest';
import { safeText } from '../../src/checks/job-util.js';

describe('safeText', () => {
  it('masks mysql -pSECRET as -p[REDACTED] (not the match offset)', () => {
    expect(safeText('mysqldump -uroot -pHunt3rBlue9Zz jobs')).toBe('mysqldump -uroot -p[REDACTED] jobs');
    expect(safeText('run --password=Hunt3rBlue9Zz now')).toBe('run --password=[REDACTED] now');
    expect(safeText('PGPASSWORD=Hunt3rBlue9Zz psql')).toBe('PGPASSWORD=[REDACTED] psql');
  });
  it('keeps the @ after a URL password', () => {
    expect(safeText('postgres://app:Hunt3rBlue9Zz@db/jobs')).toBe('postgres://app:[REDACTED]@db/jobs');
  });
  it('makes ESC and bidi controls visible', () => {
    const out = safeText('invoice\u202etxt.exe \u001b]0;x\u0007');
    expect(out).toBe('invoice\\u202etxt.exe \\x1b]0;x\\x07');
  });
});
