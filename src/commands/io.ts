/** The process's streams, injectable so commands can be tested in-process. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  stdin: NodeJS.ReadableStream;
  stdoutIsTTY: boolean;
  /** Colors allowed on stdout (TTY and no NO_COLOR). */
  colorAllowed: boolean;
  stderrColor: boolean;
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
