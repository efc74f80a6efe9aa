/** The process's streams, injectable so commands can be tested in-process. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  stdin: NodeJS.ReadableStream;
  stdoutIsTTY: boolean;
  /** Colors allowed on stdout (TTY and no NO_COLOR). */
  colorAllowed: boolean;
  stderrColor: boolean;
  /** Standard error as a stream when it is a terminal (the progress bar draws on it); absent otherwise. */
  progressStream?: NodeJS.WriteStream;
  /** Standard output's width when it is a terminal that reports one (the table wraps to it). */
  columns?: number;
}

export function processIo(): Io {
  const noColor = 'NO_COLOR' in process.env && process.env.NO_COLOR !== '';
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    stdin: process.stdin,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    colorAllowed: Boolean(process.stdout.isTTY) && !noColor,
    stderrColor: Boolean(process.stderr.isTTY) && !noColor,
    ...(process.stderr.isTTY ? { progressStream: process.stderr } : {}),
    ...(process.stdout.isTTY && process.stdout.columns > 0 ? { columns: process.stdout.columns } : {}),
  };
}

export async function readStdin(io: Io, limit = 1 << 20): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += b.length;
    if (size > limit) break;
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}
