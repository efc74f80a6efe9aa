import { describe, expect, it } from 'vitest';
import { decodeBlob } from '../../src/decode/index.js';
import { parseProperties } from '../../src/decode/properties.js';
import { isProperties } from '../../src/decode/sniff.js';
import { limits } from './helpers.js';

const latin1 = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

describe('properties text (Java useProperties=true)', () => {
  it('reads Properties.store output (OpenJDK 17 sample) with escapes', () => {
    const text =
      '#\n#Fri Nov 27 03:06:46 UTC 2026\ncommand=echo hi >> /tmp/x.txt\npass\\ word=s3cr\\u00E9t\\=\\:\\#\\!\\t\nkey=\n';
    const r = decodeBlob(latin1(text));
    expect(r.format).toBe('properties');
    expect(r.malformed).toBeUndefined();
    expect(r.quartzObject).toBe('JobDataMap');
    expect(r.entries.map((e) => [e.path, e.value])).toEqual([
      [['command'], 'echo hi >> /tmp/x.txt'],
      [['pass word'], 's3crét=:#!\t'],
      [['key'], ''],
    ]);
    expect(r.strings.map((s) => s.value)).toContain('Fri Nov 27 03:06:46 UTC 2026');
  });

  it('Properties.load grammar: separators, comments, continuations, CRLF, ISO-8859-1', () => {
    const text =
      '! bang comment\r\n  a : 1\r\nb 2\r\nc=multi \\\r\n    line\\\r\n  end\r\nd\r\n\\u0041\\n=\xe9\r\ne=\\\\\r\n';
    const r = parseProperties(latin1(text), limits());
    expect(r.malformed).toBeUndefined();
    expect(Object.fromEntries(r.entries.map((e) => [e.path[0], e.value]))).toEqual({
      a: '1',
      b: '2',
      c: 'multi lineend',
      d: '',
      'A\n': 'é',
      e: '\\',
    });
  });

  it('a malformed \\u escape is malformed (Properties.load throws), keeping earlier entries', () => {
    const r = parseProperties(latin1('#x\na=1\nb=\\u12G4\nc=3\n'), limits());
    expect(r.malformed?.reason).toMatch(/\\uXXXX/);
    expect(r.entries.map((e) => e.path[0])).toEqual(['a']);
  });

  it('sniffing: comment-first or key separator; not random text, not binary', () => {
    expect(isProperties(latin1('#\n'))).toBe(true);
    expect(isProperties(latin1('a=b\n'))).toBe(true);
    expect(isProperties(latin1('hello world\n'))).toBe(false);
    expect(isProperties(Uint8Array.from([0x61, 0x3d, 0x00]))).toBe(false);
    expect(decodeBlob(latin1('just some words')).format).toBe('unknown');
  });
});

describe('properties offsets', () => {
  it('tree offsets point at each key, across CRLF and continuations', () => {
    const text = '#c\r\n  a=1\r\nb=x\\\r\n  y\r\nc=2';
    const r = parseProperties(latin1(text), limits());
    const offs = Object.fromEntries((r.tree?.children ?? []).map((c) => [c.label, c.offset]));
    expect(offs).toEqual({ a: text.indexOf('a='), b: text.indexOf('b='), c: text.indexOf('c=') });
    expect(parseProperties(latin1('#\r\nz=\\u00zz'), limits()).malformed?.offset).toBe(5);
  });
});

describe('properties: hostile continuations', () => {
  it('500,000 continued lines stay linear', () => {
    const text = `k=${'a\\\n'.repeat(500_000)}end\n`;
    const r = parseProperties(latin1(text), limits());
    expect(r.malformed).toBeUndefined();
    expect(r.entries[0]?.value).toBe(`${'a'.repeat(500_000)}end`);
  });
  it('a last line ending in a backslash', () => {
    expect(parseProperties(latin1('k=v\\'), limits()).entries[0]?.value).toBe('v');
  });
});
