/**
 * Loads the labeled secret corpus and fills its «…» markers with a seeded generator, so that no
 * secret-shaped literal is stored in the repository (every secret here is fabricated, and the
 * same run always produces the same strings).
 *
 * Markers: «A:n» A-Z0-9, «A2:n» base32, «a62:n» base62, «url:n» base64url alphabet, «b64:n» base64
 * alphabet, «lhex:n» «HEX:n» hex, «lower:n», «D:n» digits, «guid» «GUID» «guidnh», «jwt»,
 * «pem:TYPE» (PEM private key), «pemesc:TYPE» (the same with JSON \n escapes), «putty», «basic»
 * (base64 of user:password), «awssk» (40-char AWS secret shape), «pw» «pwlong» (passwords),
 * «pwurl» (URL-safe password), «pwq» (password with ; for quoting), «pwnb» «pwnoat».
 */
import { readFileSync } from 'node:fs';

export interface CorpusItem {
  id: string;
  kind?: string;
  place: string;
  path: string[];
  key?: string;
  value: string;
  expect: { check: 'QA-S01' | 'QA-S02' | 'QA-S03'; detector: string } | null;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hashSeed(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

const UP = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LO = 'abcdefghijklmnopqrstuvwxyz';
const DIG = '0123456789';
const ALPHABETS: Record<string, string> = {
  A: UP + DIG,
  A2: `${UP}234567`,
  a62: UP + LO + DIG,
  url: `${UP}${LO}${DIG}_-`,
  b64: `${UP}${LO}${DIG}+/`,
  lhex: '0123456789abcdef',
  HEX: '0123456789ABCDEF',
  lower: LO,
  D: DIG,
};

export class Gen {
  private rnd: () => number;
  constructor(seed: string) {
    this.rnd = mulberry32(hashSeed(seed));
  }
  pick(alphabet: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.rnd() * alphabet.length)];
    return s;
  }
  /** Random string with at least one upper, lower and digit (a realistic generated key). */
  mixed(alphabet: string, n: number): string {
    for (;;) {
      const s = this.pick(alphabet, n);
      if (/[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9]/.test(s)) return s;
    }
  }
  guid(): string {
    const h = this.pick('0123456789abcdef', 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
  }
  password(n: number, symbols = '!#*-_.+=?@^~&'): string {
    for (;;) {
      const s = this.pick(UP + LO + DIG + symbols, n);
      if (/[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9]/.test(s) && /^[A-Za-z0-9]/.test(s)) return s;
    }
  }
  jwt(): string {
    const b = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const header = b({ alg: this.rnd() < 0.5 ? 'HS256' : 'RS256', typ: 'JWT' });
    const payload = b({
      sub: `svc-${this.pick(DIG, 6)}`,
      iat: 1717200000 + Math.floor(this.rnd() * 1e6),
      scope: 'jobs:run',
    });
    return `${header}.${payload}.${this.pick(ALPHABETS.url as string, 43)}`;
  }
  pem(type: string, lineSep = '\n'): string {
    const t = type ? `${type} ` : '';
    // realistic starts: ASN.1 SEQUENCE (MII…, MHc… for EC) or the openssh-key-v1 magic
    const start = type === 'OPENSSH' ? 'b3BlbnNzaC1rZXktdjEAAAAA' : type === 'EC' ? 'MHcCAQEEI' : 'MIIEvQIBADAN';
    const flat = start + this.pick(ALPHABETS.b64 as string, 6 * 64 - start.length);
    const body: string[] = [];
    for (let i = 0; i < 6; i++) body.push(flat.slice(i * 64, (i + 1) * 64));
    return `-----BEGIN ${t}PRIVATE KEY${type === 'PGP' ? ' BLOCK' : ''}-----${lineSep}${body.join(lineSep)}${lineSep}-----END ${t}PRIVATE KEY${type === 'PGP' ? ' BLOCK' : ''}-----`;
  }
  putty(): string {
    const b64 = ALPHABETS.b64 as string;
    return `PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: batch@sched\nPublic-Lines: 2\n${this.pick(b64, 64)}\n${this.pick(b64, 20)}\nPrivate-Lines: 1\n${this.pick(b64, 44)}\nPrivate-MAC: ${this.pick('0123456789abcdef', 64)}`;
  }
}

export function expand(template: string, seed: string): string {
  const g = new Gen(seed);
  return template.replace(/«([A-Za-z0-9]+)(?::([A-Za-z0-9]*))?»/g, (_m, name: string, arg?: string) => {
    const n = Number(arg);
    switch (name) {
      case 'guid':
        return g.guid();
      case 'GUID':
        return g.guid().toUpperCase();
      case 'guidnh':
        return g.guid().replace(/-/g, '');
      case 'jwt':
        return g.jwt();
      case 'pem':
        return g.pem(arg ?? '');
      case 'pemesc':
        return g.pem(arg ?? '', '\\n');
      case 'putty':
        return g.putty();
      case 'basic':
        return Buffer.from(`svc_${g.pick(LO, 5)}:${g.password(12)}`).toString('base64');
      case 'awssk':
        return g.mixed(ALPHABETS.b64 as string, 40);
      case 'pw':
        return g.password(10 + Math.floor(n || 0) + (g.pick(DIG, 1).charCodeAt(0) % 6));
      case 'pwlong':
        return g.mixed(`${UP}${LO}${DIG}`, 28);
      case 'pwurl':
        return g.password(14, '-_.~');
      case 'pwq':
        return `${g.password(6, '')};${g.password(6, '!')}`;
      case 'pwnb':
        return g.password(12, '!#*-_.+=?@^~');
      case 'pwnoat':
        return g.password(12, '!#*-_.+=?^~');
      default: {
        const alphabet = ALPHABETS[name];
        if (!alphabet || !Number.isFinite(n)) throw new Error(`unknown corpus marker «${name}:${arg}»`);
        return name === 'a62' || name === 'b64' || name === 'url' ? g.mixed(alphabet, n) : g.pick(alphabet, n);
      }
    }
  });
}

const here = new URL('.', import.meta.url);

function load(file: string): CorpusItem[] {
  const doc = JSON.parse(readFileSync(new URL(file, here), 'utf8')) as { items: CorpusItem[] };
  return doc.items.map((it) => ({ ...it, value: expand(it.value, it.id) }));
}

export function loadCorpus(): { positives: CorpusItem[]; negatives: CorpusItem[] } {
  return { positives: load('positives.json'), negatives: load('negatives.json') };
}

/** Items written after the detectors were tuned on the main corpus (a check against over-fitting). */
export function loadHeldout(): CorpusItem[] {
  return load('heldout.json');
}
