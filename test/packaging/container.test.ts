/**
 * #14 part 8: the container image and the GitHub Action, tested statically (no Docker engine is needed):
 * - the Dockerfile parsed by dockerfile-ast: multi-stage, every base pinned to a version tag or digest, the
 *   build stage runs npm ci, the build and a prune, the runtime stage runs as a non-root numeric USER with
 *   HOME and TMPDIR in /tmp and the CLI as ENTRYPOINT, no secret in ARG/ENV, every COPY source exists and is
 *   allowed by .dockerignore (matched by @balena/dockerignore, a port of Docker's own matcher);
 * - the runtime stage's files, assembled from its COPY instructions (the build stage's output made by the
 *   same `npm run build` compiler), run the demo with HOME and TMPDIR in a temp dir and write nothing into
 *   the app tree or the working directory (what a read-only root filesystem needs);
 * - action.yml (yaml): a composite action, every input used, no `${{ }}` inside a shell script (inputs
 *   reach scripts through env only), every script passes `bash -n`, the container runs read-only.
 * Where a Docker engine answers (`docker info`), the image is built and the demo run in it read-only; else
 * that test skips with a [skip] line.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { type Copy, DockerfileParser, type From, type Instruction } from 'dockerfile-ast';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { simulatedAbsent } from '../support/mariadb-server.js';

const ROOT = resolve(import.meta.dirname, '../..');
const dockerfileText = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const dockerfile = DockerfileParser.parse(dockerfileText);
// @balena/dockerignore: Docker's .dockerignore semantics (a port of moby's matcher), installed with testcontainers.
const dockerignore = createRequire(import.meta.url)('@balena/dockerignore') as () => {
  add(p: string): { ignores(path: string): boolean };
};
const ignoreRules = dockerignore().add(readFileSync(join(ROOT, '.dockerignore'), 'utf8'));

/** The instructions of each stage, in order (a stage starts at its FROM). */
function stages(): { from: From; instructions: Instruction[] }[] {
  const out: { from: From; instructions: Instruction[] }[] = [];
  for (const i of dockerfile.getInstructions()) {
    if (i.getKeyword() === 'FROM') out.push({ from: i as From, instructions: [] });
    else out[out.length - 1]?.instructions.push(i);
  }
  return out;
}

const args = (i: Instruction) => i.getArguments().map((a) => a.getValue());
const copyFrom = (c: Instruction) => (c as Copy).getFromFlag()?.getValue() ?? undefined;
/** COPY sources and destination (flags removed). */
function copyParts(c: Instruction): { sources: string[]; dest: string } {
  const list = args(c).filter((a) => !a.startsWith('--'));
  return { sources: list.slice(0, -1), dest: list[list.length - 1] as string };
}

/** Every file under a repository path (a file itself, or a directory walked). */
function filesUnder(rel: string): string[] {
  const abs = join(ROOT, rel);
  if (!statSync(abs).isDirectory()) return [rel];
  return readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(ROOT, join(d.parentPath, d.name)));
}

describe('Dockerfile (parsed by dockerfile-ast)', () => {
  const all = stages();
  const runtime = all[all.length - 1] as (typeof all)[number];
  const build = all[0] as (typeof all)[number];

  it('is multi-stage, every base pinned to a version tag (or digest) of node 20 bookworm-slim', () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    const names = all.map((s) => s.from.getBuildStage()).filter(Boolean);
    for (const s of all) {
      const image = s.from.getImage() ?? '';
      if (names.includes(image)) continue; // FROM an earlier stage
      expect(s.from.getImageName(), image).toBe('node');
      const tag = s.from.getImageTag() ?? '';
      const digest = s.from.getImageDigest();
      // A moving tag (latest, 20, 20-bookworm-slim) is not a pin: a full x.y.z version, or a digest.
      expect(digest ?? tag, image).toMatch(/^(sha256:[0-9a-f]{64}|20\.\d+\.\d+-bookworm-slim)$/);
      expect(s.from.getImage(), 'no build argument in a base image').not.toMatch(/\$/);
    }
  });

  it('builds with npm ci and npm run build, then prunes dev dependencies', () => {
    const runs = build.instructions.filter((i) => i.getKeyword() === 'RUN').map((i) => i.getArgumentsContent() ?? '');
    const script = runs.join('\n');
    expect(script).toMatch(/\bnpm ci\b/);
    expect(script).toMatch(/\bnpm run build\b/);
    expect(script).toMatch(/\bnpm prune --omit=dev\b/);
    expect(script.indexOf('npm ci')).toBeLessThan(script.indexOf('npm run build'));
    // The runtime stage installs nothing: it copies the pruned tree (its one RUN links the CLI onto PATH).
    const runtimeRuns = runtime.instructions
      .filter((i) => i.getKeyword() === 'RUN')
      .map((i) => i.getArgumentsContent() ?? '');
    for (const r of runtimeRuns) expect(r).not.toMatch(/\b(npm|npx|apt-get|apk|pip|curl|wget)\b/);
    expect(runtimeRuns.join('\n')).toMatch(/ln -s \/app\/bin\/qrtz-audit\.js \/usr\/local\/bin\/qrtz-audit/);
    // ... and it happens before USER, as root (nothing is writable by the runtime user).
    const kinds = runtime.instructions.map((i) => i.getKeyword());
    expect(kinds.lastIndexOf('RUN')).toBeLessThan(kinds.indexOf('USER'));
  });

  it('runs as a non-root numeric user with HOME and TMPDIR in /tmp; the CLI is the entrypoint', () => {
    const users = runtime.instructions.filter((i) => i.getKeyword() === 'USER');
    expect(users.length).toBeGreaterThan(0);
    const user = args(users[users.length - 1] as Instruction).join(' ');
    const m = /^(\d+)(?::(\d+))?$/.exec(user);
    expect(m, `USER ${user} is numeric`).not.toBeNull();
    expect(Number(m?.[1])).toBeGreaterThan(0);
    if (m?.[2] !== undefined) expect(Number(m[2])).toBeGreaterThan(0);
    // Nothing after USER switches back.
    const last = runtime.instructions[runtime.instructions.length - 1];
    expect(['ENTRYPOINT', 'CMD', 'USER']).toContain(last?.getKeyword());

    const env = new Map(
      runtime.instructions
        .filter((i) => i.getKeyword() === 'ENV')
        .flatMap((i) =>
          (i as unknown as { getProperties(): { getName(): string; getValue(): string | null }[] }).getProperties(),
        )
        .map((p) => [p.getName(), p.getValue()]),
    );
    expect(env.get('HOME')).toBe('/tmp');
    expect(env.get('TMPDIR')).toBe('/tmp');

    const entry = runtime.instructions.filter((i) => i.getKeyword() === 'ENTRYPOINT');
    expect(entry).toHaveLength(1);
    const raw = (entry[0] as Instruction).getArgumentsContent() ?? '';
    // Exec form (JSON): signals reach node, no shell in between.
    const argv = JSON.parse(raw) as string[];
    expect(argv[0]).toBe('node');
    expect(argv[1]).toBe('/app/bin/qrtz-audit.js');
  });

  it('holds no secret in ARG or ENV', () => {
    const props = dockerfile
      .getInstructions()
      .filter((i) => i.getKeyword() === 'ARG' || i.getKeyword() === 'ENV')
      .flatMap((i) =>
        (i as unknown as { getProperties(): { getName(): string; getValue(): string | null }[] }).getProperties(),
      );
    expect(props.length).toBeGreaterThan(0);
    for (const p of props) {
      expect(p.getName(), 'a secret-looking name').not.toMatch(
        /pass(word)?|pwd|secret|token|api[_-]?key|private|credential/i,
      );
      expect(p.getValue() ?? '', `${p.getName()}: a credential-looking value`).not.toMatch(
        /:\/\/[^/\s]*:[^@\s]*@|gh[pousr]_[A-Za-z0-9]{20,}|AKIA[0-9A-Z]{16}|-----BEGIN/,
      );
    }
  });

  it('every COPY source exists and is allowed by the .dockerignore allow-list', () => {
    const named = all.map((s) => s.from.getBuildStage()).filter((x): x is string => Boolean(x));
    let checked = 0;
    for (const c of dockerfile.getCOPYs()) {
      const from = copyFrom(c);
      if (from !== undefined) {
        expect(named, `COPY --from=${from} names an earlier stage`).toContain(from);
        continue;
      }
      for (const src of copyParts(c).sources) {
        expect(src, 'no glob or variable in a COPY source').toMatch(/^[\w./-]+$/);
        expect(existsSync(join(ROOT, src)), `${src} exists`).toBe(true);
        for (const f of filesUnder(src)) {
          expect(ignoreRules.ignores(f), `${f} (COPY ${src}) is excluded by .dockerignore`).toBe(false);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
    // The allow-list is one: what must never reach the build context is excluded (the matcher is not vacuous).
    for (const p of [
      'node_modules/pg/package.json',
      '.git/config',
      'test/report/sarif.test.ts',
      '.env',
      'dist/src/cli.js',
    ])
      expect(ignoreRules.ignores(p), p).toBe(true);
  });
});

describe('the runtime stage’s files run the CLI without writing outside /tmp', () => {
  const work = mkdtempSync(join(tmpdir(), 'qrtz-container-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('assembled from the COPY instructions, the demo runs with HOME/TMPDIR in a temp dir', { timeout: 180_000 }, () => {
    // The build stage's output, made the way it makes it (tsc -p tsconfig.json), into a temp dir.
    const buildOut = join(work, 'build');
    mkdirSync(buildOut);
    execFileSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/typescript/bin/tsc'),
        '-p',
        join(ROOT, 'tsconfig.json'),
        '--outDir',
        join(buildOut, 'dist'),
      ],
      {
        stdio: 'pipe',
      },
    );
    const all = stages();
    const runtime = all[all.length - 1] as (typeof all)[number];
    let appDir = '/';
    const app = join(work, 'app');
    for (const i of runtime.instructions) {
      if (i.getKeyword() === 'WORKDIR' && appDir === '/') appDir = args(i)[0] as string;
      if (i.getKeyword() !== 'COPY') continue;
      const { sources, dest } = copyParts(i);
      const from = copyFrom(i);
      for (const src of sources) {
        const target = join(
          app,
          relative(appDir, resolve(appDir, dest)),
          sources.length > 1 || dest.endsWith('/') ? (src.split('/').pop() ?? '') : '',
        );
        mkdirSync(join(target, '..'), { recursive: true });
        if (from === undefined) cpSync(join(ROOT, src), target, { recursive: true });
        else {
          // From the build stage: /app/<x>. node_modules is linked (the pruned tree is npm's job).
          const rel = relative(appDir, src);
          if (rel === 'node_modules') symlinkSync(join(ROOT, 'node_modules'), target);
          else if (rel.startsWith('dist')) cpSync(join(buildOut, rel), target, { recursive: true });
          else cpSync(join(ROOT, rel), target, { recursive: true });
        }
      }
    }
    expect(existsSync(join(app, 'dist/src/cli.js'))).toBe(true);
    expect(existsSync(join(app, 'src')), 'no TypeScript source in the image').toBe(false);
    const entry = JSON.parse(
      runtime.instructions.find((i) => i.getKeyword() === 'ENTRYPOINT')?.getArgumentsContent() ?? '[]',
    ) as string[];
    const bin = join(app, relative(appDir, entry[1] as string));
    const home = join(work, 'tmp');
    const cwd = join(work, 'cwd');
    mkdirSync(home);
    mkdirSync(cwd);
    const before = readdirSync(app, { recursive: true }).length;
    const r = spawnSync(process.execPath, [bin, 'demo', '--format', 'json'], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: home, TMPDIR: home, NODE_ENV: 'production' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { findings: { status: string }[] };
    expect(report.findings.filter((f) => f.status === 'fail').length).toBeGreaterThan(3);
    // --workers from the build: the worker is dist/src/scan/worker.js (no TypeScript source, no tsx needed).
    const w = spawnSync(process.execPath, [bin, 'demo', '--format', 'json', '--workers', '2'], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: home, TMPDIR: home, NODE_ENV: 'production' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(w.status, w.stderr).toBe(0);
    const fails = (x: { findings: { status: string; check: string }[] }) =>
      x.findings.filter((f) => f.status === 'fail').map((f) => f.check);
    expect(fails(JSON.parse(w.stdout))).toEqual(fails(report as { findings: { status: string; check: string }[] }));
    expect(readdirSync(app, { recursive: true }).length, 'nothing written into the app tree').toBe(before);
    expect(readdirSync(cwd), 'nothing written into the working directory').toEqual([]);
  });
});

describe('action.yml (composite GitHub Action)', () => {
  const action = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    name: string;
    description: string;
    inputs: Record<string, { description: string; required?: boolean; default?: string }>;
    outputs?: Record<string, { value: string }>;
    runs: { using: string; steps: { run?: string; shell?: string; env?: Record<string, string>; id?: string }[] };
  };

  it('is composite, every input is documented and used, outputs point at steps that exist', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.name).toBeTruthy();
    expect(action.description).toBeTruthy();
    for (const name of ['target', 'format', 'fail-on']) expect(Object.keys(action.inputs)).toContain(name);
    const text = JSON.stringify(action.runs.steps);
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(input.description, name).toBeTruthy();
      expect(text, `input ${name} is used by a step`).toContain(`inputs.${name} }}`);
    }
    const ids = action.runs.steps.map((s) => s.id);
    for (const [name, out] of Object.entries(action.outputs ?? {})) {
      const m = /steps\.([\w-]+)\.outputs/.exec(out.value);
      expect(ids, `output ${name}`).toContain(m?.[1]);
    }
  });

  it('passes inputs to scripts only through env (no expression in a script); scripts parse; the container is read-only', () => {
    const scripts = action.runs.steps.filter((s) => s.run);
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) {
      expect(s.run, 'expression in a script: script injection').not.toMatch(/\$\{\{/);
      expect(s.shell).toBe('bash');
      const r = spawnSync('bash', ['-n'], { input: s.run, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    }
    const all = scripts.map((s) => s.run).join('\n');
    expect(all).toMatch(/docker run[^\n]*--read-only[^\n]*--tmpfs \/tmp/);
    expect(all).toContain('--password-stdin');
    expect(all).toMatch(/docker build[^\n]*"\$QA_CONTEXT"/);
  });
});

// A real build where an engine answers.
const engine = simulatedAbsent('docker')
  ? 'treated as absent (QRTZ_TEST_ABSENT)'
  : (() => {
      const r = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8', timeout: 20_000 });
      return r.status === 0
        ? undefined
        : `no Docker engine answers (docker info: ${(r.stderr || r.error?.message || '').trim().split('\n')[0]})`;
    })();
if (engine) console.warn(`[skip] container image build: ${engine}`);

describe.skipIf(engine)('the image, built by a Docker engine', () => {
  const tag = `qrtz-audit-test:${process.pid}`;
  afterAll(() => {
    spawnSync('docker', ['image', 'rm', '-f', tag], { stdio: 'ignore' });
  });
  it('builds, and `docker run --rm --read-only --tmpfs /tmp IMAGE demo` audits the demo store', {
    timeout: 1_200_000,
  }, () => {
    const b = spawnSync('docker', ['build', '-t', tag, ROOT], { encoding: 'utf8', timeout: 1_100_000 });
    expect(b.status, b.stderr.slice(-3000)).toBe(0);
    const r = spawnSync('docker', ['run', '--rm', '--read-only', '--tmpfs', '/tmp', tag, 'demo', '--format', 'json'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { findings: unknown[] }).findings.length).toBeGreaterThan(3);
    const id = spawnSync('docker', ['run', '--rm', '--entrypoint', 'id', tag, '-u'], { encoding: 'utf8' });
    expect(id.stdout.trim()).not.toBe('0');
    // On PATH for a shell command line (the Kubernetes recipe), under another uid as the recipe runs it.
    const v = spawnSync(
      'docker',
      [
        'run',
        '--rm',
        '--read-only',
        '--tmpfs',
        '/tmp',
        '--user',
        '10001',
        '--entrypoint',
        'qrtz-audit',
        tag,
        '--version',
      ],
      { encoding: 'utf8' },
    );
    expect(v.status, v.stderr).toBe(0);
  });
});
