/**
 * Microsoft's SARIF validator with GitHub's rules: `Sarif.Multitool validate --rule-kind "Sarif;Gh"` from the
 * `@microsoft/sarif-multitool` npm package (its Linux binary, a self-contained .NET application).
 *
 * The tool exits 0 even when it reports errors, so its own output SARIF is read and every result of level
 * `error` is returned (rule id, location, the message rendered from the rule's messageStrings).
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const MULTITOOL = resolve(
  import.meta.dirname,
  '../../node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool',
);

export interface MultitoolProblem {
  level: string;
  ruleId: string;
  message: string;
  where: string;
}

/** A clean environment for the .NET binary: no telemetry, a throwaway HOME, invariant globalization without ICU. */
function multitoolEnv(home: string): NodeJS.ProcessEnv {
  const icu = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib'].some((d) => {
    try {
      return existsSync(d) && readdirSync(d).some((n) => /^libicuuc\.so/.test(n));
    } catch {
      return false;
    }
  });
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    DOTNET_CLI_TELEMETRY_OPTOUT: '1',
    DOTNET_NOLOGO: '1',
    ...(icu ? {} : { DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' }),
  };
}

function run(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    execFile(MULTITOOL, args, { env, cwd, timeout: 120_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      done({ code, out: `${stdout}${stderr}${err && typeof err.code !== 'number' ? String(err.message) : ''}` });
    });
  });
}

/** Why the multitool cannot run here (absent, not executable, or it fails to start), or undefined when it can. */
export async function multitoolUnavailable(): Promise<string | undefined> {
  if (!existsSync(MULTITOOL)) return `${MULTITOOL} is absent (npm ci installs @microsoft/sarif-multitool)`;
  try {
    accessSync(MULTITOOL, constants.X_OK);
  } catch {
    return `${MULTITOOL} is not executable`;
  }
  const home = mkdtempSync(join(tmpdir(), 'qrtz-multitool-home-'));
  try {
    const r = await run(['--version'], multitoolEnv(home), home);
    if (r.code !== 0 || !/SARIF Multitool/i.test(r.out))
      return `Sarif.Multitool --version failed (exit ${r.code}): ${r.out.trim().slice(0, 300)}`;
    return undefined;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

interface OutSarif {
  runs?: {
    tool?: { driver?: { rules?: { id?: string; messageStrings?: Record<string, { text?: string }> }[] } };
    results?: {
      ruleId?: string;
      ruleIndex?: number;
      level?: string;
      message?: { id?: string; text?: string; arguments?: string[] };
      locations?: { physicalLocation?: { region?: { startLine?: number; startColumn?: number } } }[];
    }[];
  }[];
}

/**
 * Runs `validate --rule-kind "Sarif;Gh"` on a SARIF file; returns every result of its output at `level`
 * error (what GitHub code scanning would refuse). Throws when the tool did not produce its output.
 */
export async function multitoolErrors(file: string): Promise<MultitoolProblem[]> {
  const work = mkdtempSync(join(tmpdir(), 'qrtz-multitool-'));
  try {
    const output = join(work, 'validation.sarif');
    const r = await run(
      ['validate', '--rule-kind', 'Sarif;Gh', '--output', output, resolve(file)],
      multitoolEnv(work),
      work,
    );
    if (!existsSync(output))
      throw new Error(`Sarif.Multitool wrote no output (exit ${r.code}): ${r.out.trim().slice(0, 1000)}`);
    const doc = JSON.parse(readFileSync(output, 'utf8').replace(/^\uFEFF/, '')) as OutSarif;
    const problems: MultitoolProblem[] = [];
    for (const runOut of doc.runs ?? []) {
      const rules = runOut.tool?.driver?.rules ?? [];
      for (const res of runOut.results ?? []) {
        // SARIF's default level of a result is warning; only errors are refusals.
        if ((res.level ?? 'warning') !== 'error') continue;
        const rule = rules[res.ruleIndex ?? -1] ?? rules.find((x) => x.id === res.ruleId);
        const template = res.message?.text ?? rule?.messageStrings?.[res.message?.id ?? '']?.text ?? res.message?.id;
        const args = res.message?.arguments ?? [];
        const message = String(template ?? '').replace(/\{(\d+)\}/g, (m, i) => args[Number(i)] ?? m);
        const region = res.locations?.[0]?.physicalLocation?.region;
        problems.push({
          level: 'error',
          ruleId: res.ruleId ?? '?',
          message,
          where: region ? `(${region.startLine ?? '?'},${region.startColumn ?? '?'})` : '',
        });
      }
    }
    return problems;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Problems as assertion text: one line each. */
export function problemLines(problems: MultitoolProblem[]): string {
  return problems.map((p) => `${p.ruleId}${p.where}: ${p.message}`).join('\n');
}
