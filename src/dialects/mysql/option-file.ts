/**
 * `~/.my.cnf`, as the mysql and mariadb clients read it: the `[client]` group (and MariaDB's
 * `[client-server]` and `[client-mariadb]`), later settings winning. It fills in what a mysql://
 * URL does not say (user, password, host, port, socket, ssl-*); `--no-my-cnf` or
 * QRTZ_AUDIT_NO_MY_CNF=1 turn it off. Each option is honoured, accepted as having no effect on the
 * audit, or refused with one line naming the file and the option; `loose-` options the audit does
 * not know are skipped, as the clients skip them. Values are never echoed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors.js';
import { registerSecret } from '../../secrets/redact.js';

/** Options of the client groups the audit honours (dashes; underscores are read as dashes). */
export const MY_CNF_HONOURED = [
  'user',
  'password',
  'host',
  'port',
  'socket',
  'database',
  'ssl',
  'skip-ssl',
  'ssl-mode',
  'ssl-ca',
  'ssl-cert',
  'ssl-key',
  'ssl-verify-server-cert',
] as const;

/** Options with no effect on one read-only audit connection. */
const NO_EFFECT = new Set([
  'default-character-set',
  'character-sets-dir',
  'connect-timeout',
  'max-allowed-packet',
  'net-buffer-length',
  'compress',
  'no-beep',
  'auto-rehash',
  'skip-auto-rehash',
  'prompt',
  'pager',
  'safe-updates',
  'show-warnings',
  'local-infile',
  'default-auth',
  'plugin-dir',
  'protocol',
  'ssl-cipher',
  'tls-version',
]);

const GROUPS = new Set(['client', 'client-server', 'client-mariadb']);

export interface MyCnf {
  file: string;
  values: Map<string, string>;
}

function unquote(v: string): string {
  const t = v.trim();
  const m = /^(["'])(.*)\1$/s.exec(t);
  if (!m) return t.replace(/\s+#.*$/, '');
  return (m[2] as string).replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', s: ' ' })[c] ?? c);
}

/** Parses option-file text: the client groups' options, later ones winning. */
export function parseMyCnf(text: string, file: string): MyCnf {
  const values = new Map<string, string>();
  let inClient = false;
  text.split(/\r?\n/).forEach((line0, idx) => {
    const line = line0.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    if (line.startsWith('!')) {
      if (inClient || /^!include/i.test(line)) {
        throw new UserError('input', `${file}, line ${idx + 1}: ${line.split(/\s/)[0]} is not supported`);
      }
      return;
    }
    const group = /^\[([^\]]+)\]$/.exec(line);
    if (group?.[1]) {
      inClient = GROUPS.has(group[1].trim().toLowerCase());
      return;
    }
    if (!inClient) return;
    const eq = line.indexOf('=');
    const rawKey = (eq < 0 ? line : line.slice(0, eq)).trim().toLowerCase().replace(/_/g, '-');
    const value = eq < 0 ? '' : unquote(line.slice(eq + 1));
    let key = rawKey;
    const loose = key.startsWith('loose-');
    if (loose) key = key.slice('loose-'.length);
    if ((MY_CNF_HONOURED as readonly string[]).includes(key)) values.set(key, value);
    else if (NO_EFFECT.has(key)) return;
    else if (!loose) {
      throw new UserError(
        'input',
        `${file}, line ${idx + 1}: option ${JSON.stringify(rawKey.slice(0, 60))} of [client] is not supported (--no-my-cnf skips the file)`,
      );
    }
  });
  registerSecret(values.get('password'));
  return { file, values };
}

/** ~/.my.cnf of `env.HOME`, unless turned off; undefined when there is none. */
export function readMyCnf(env: NodeJS.ProcessEnv, disabled = false): MyCnf | undefined {
  if (disabled || /^(1|true|yes)$/i.test(env.QRTZ_AUDIT_NO_MY_CNF ?? '')) return undefined;
  if (!env.HOME) return undefined;
  const file = join(env.HOME, '.my.cnf');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new UserError('input', `cannot read ${file} (${code ?? 'unreadable'}); --no-my-cnf skips it`);
  }
  return parseMyCnf(text, file);
}
