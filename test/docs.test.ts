/** The README documents every check and every scan option (generated table kept in sync). */
import { existsSync, readFileSync } from 'node:fs';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { catalogue, formatCatalogue } from '../src/checks/catalogue.js';
import { allChecks } from '../src/checks/index.js';
import { registerConfig } from '../src/commands/config.js';
import type { Io } from '../src/commands/io.js';
import { registerScan } from '../src/commands/scan.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The scan command as the CLI registers it (its own options and the shared scan options). */
function scanCommand(): Command {
  const program = new Command('qrtz-audit');
  registerScan(program, { stdout: () => {}, stderr: () => {} } as unknown as Io, () => {});
  return program.commands.find((c) => c.name() === 'scan') as Command;
}

describe('README', () => {
  it('starts with the demo command and npm test', () => {
    const firstBlock = readme.split('```')[1] ?? '';
    expect(firstBlock).toContain('npm run demo');
    expect(firstBlock).toContain('npm test');
  });
  it('lists every check id', () => {
    for (const c of allChecks) {
      const row = readme.split('\n').find((l) => l.startsWith(`| ${c.meta.id} |`));
      expect(row, `${c.meta.id} missing from the README table (run npx tsx scripts/checks-doc.ts)`).toBeDefined();
    }
  });
  it('holds the catalogue table exactly as `qrtz-audit checks --format markdown` prints it', () => {
    const table = formatCatalogue(catalogue(), 'markdown').trimEnd();
    expect(readme, 'README check table out of date (run npx tsx scripts/checks-doc.ts)').toContain(table);
  });
  it('every option the README documents exists', () => {
    const cmd = scanCommand();
    const known = new Set([...cmd.options.map((o) => o.long), '--debug']);
    const section = readme.slice(readme.indexOf('### `scan` options'), readme.indexOf('### Exit codes'));
    const documented = [...section.matchAll(/^\| `(--[a-z-]+)|\/ `(--[a-z-]+)/gm)].map((m) => m[1] ?? m[2]);
    expect(documented.length).toBeGreaterThan(15);
    for (const flag of documented) expect(known, `${flag} documented but not implemented`).toContain(flag);
  });

  it('documents every option of `qrtz-audit config`, and documents none it lacks', () => {
    const program = new Command('qrtz-audit');
    registerConfig(program, { stdout: () => {}, stderr: () => {} } as unknown as Io, () => {});
    const cmd = program.commands.find((c) => c.name() === 'config') as Command;
    const section = readme.slice(
      readme.indexOf('### Auditing the configuration files'),
      readme.indexOf('### Read-only'),
    );
    const known = new Set(cmd.options.map((o) => o.long as string));
    for (const flag of known) expect(section, `config ${flag} undocumented`).toContain(`\`${flag}`);
    // the option table: every flag in the first cell of its rows
    const documented = section
      .split('\n')
      .filter((l) => l.startsWith('| `--'))
      .flatMap((l) => [...(l.split(' | ')[0] ?? '').matchAll(/`(--[a-z-]+)/g)].map((m) => m[1] as string));
    expect(documented.length).toBeGreaterThan(8);
    for (const flag of documented) expect(known, `config ${flag} documented but not implemented`).toContain(flag);
  });

  it('documents every scan option', () => {
    const cmd = scanCommand();
    for (const o of cmd.options) {
      const flag = o.long?.replace(/^--no-/, '--no-') as string;
      expect(readme, `${flag} undocumented`).toContain(`\`${flag}`);
    }
  });

  it('the Security properties section names test files that exist', () => {
    const section = readme.slice(readme.indexOf('### Security properties'), readme.indexOf('### Statuses'));
    const named = [...new Set([...section.matchAll(/`(test\/[^`]+\.test\.ts)`/g)].map((m) => m[1] as string))];
    expect(named.length).toBeGreaterThan(10);
    for (const f of named) {
      expect(existsSync(new URL(`../${f}`, import.meta.url)), f).toBe(true);
    }
  });
});
