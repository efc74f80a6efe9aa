/** Runs the CLI in-process with captured streams. */
import { Readable } from 'node:stream';
import { main } from '../../src/cli.js';
import type { Io } from '../../src/commands/io.js';
import type { Report } from '../../src/report/report.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[], stdin = ''): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    stdin: Readable.from([Buffer.from(stdin)]),
    stdoutIsTTY: false,
    colorAllowed: false,
    stderrColor: false,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

export function parseReport(run: CliRun): Report {
  try {
    return JSON.parse(run.stdout) as Report;
  } catch {
    throw new Error(`not JSON (exit ${run.code}): ${run.stdout.slice(0, 500)} ${run.stderr.slice(0, 500)}`);
  }
}

/** "check principal/object" keys of failing findings, for exact assertions. */
export function failing(report: Report, prefix = ''): string[] {
  return report.findings
    .filter((f) => f.status === 'fail' && f.check.startsWith(prefix))
    .map((f) => `${f.check} ${f.object.name}`)
    .sort();
}
