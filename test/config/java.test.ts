/**
 * Java applications beside quartz.properties: logging configuration (log4j2.xml, log4j.properties,
 * log4j2.properties, logback.xml / logback-spring.xml) and the Quartz version a build declares (a jar in a
 * lib folder, Maven pom.xml, Gradle build.gradle / build.gradle.kts, gradle.lockfile), judged by QA-C10 and
 * QA-C11 against the update checks' dated tables (data/eol.json, data/config-versions.json).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfigFindingDraft, discoverConfigFiles, evaluateConfig } from '../../src/config/index.js';
import { ConfigParseError } from '../../src/config/model.js';
import { readConfig } from '../../src/config/read.js';
import { factsOf, stage, write } from './helpers.js';

const ASOF = new Date('2026-11-30T00:00:00Z');
const fails = (d: ConfigFindingDraft[], id: string) => d.filter((x) => x.check === id && x.status === 'fail');

describe('Java logging configuration (QA-C10)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await stage(['java-logging-risky', 'java-logging-hardened'], 0o600));
  });
  afterAll(() => cleanup());

  it('finds log4j2.xml, log4j.properties, log4j2.properties, logback.xml and logback-spring.xml by name', async () => {
    const files = await discoverConfigFiles([dir]);
    expect(files.map((f) => `${f.kind}:${f.path.slice(dir.length + 1)}`).sort()).toEqual([
      'log4j-properties:java-logging-hardened/log4j2.properties',
      'log4j-properties:java-logging-risky/log4j.properties',
      'log4j2:java-logging-hardened/log4j2.xml',
      'log4j2:java-logging-risky/log4j2.xml',
      'logback:java-logging-hardened/logback-spring.xml',
      'logback:java-logging-risky/logback.xml',
    ]);
  });

  it('risky: Quartz and job loggers at DEBUG/TRACE (substituted levels, child <level>), world-readable log files', async () => {
    const risky = join(dir, 'java-logging-risky');
    await mkdir(join(risky, 'logs'));
    await write(join(risky, 'logs', 'quartz.log'), 'job data\n', 0o644); // log4j2 ${logDir}/quartz.log
    await write(join(risky, 'logs', 'scheduler.log'), 'x\n', 0o640); // logback: group only, not every user
    const facts = await factsOf([risky]);
    const f = fails(evaluateConfig(facts, { asOf: ASOF }), 'QA-C10');
    const loggers = f
      .filter((d) => d.evidence?.logger !== undefined)
      .map(
        (d) =>
          `${d.evidence?.framework} ${d.evidence?.logger} ${d.evidence?.level} ${String(d.evidence?.file).split('/').pop()}:${d.evidence?.line}`,
      )
      .sort();
    expect(loggers).toEqual([
      'log4j (root) debug log4j.properties:2',
      'log4j org.quartz.core.JobRunShell trace log4j.properties:10',
      'log4j2 com.example.billing.jobs trace log4j2.xml:19',
      'log4j2 org.quartz debug log4j2.xml:16',
      'logback org.quartz.impl.jdbcjobstore debug logback.xml:12',
    ]);
    const files = f.filter((d) => d.evidence?.logFile !== undefined).map((d) => String(d.evidence?.logFile));
    expect(files).toEqual([join(risky, 'logs', 'quartz.log')]);
    // the log files the configurations name are known, resolved against the configuration's folder
    expect(facts.logFiles.map((l) => l.resolved ?? l.path).sort()).toEqual(
      [
        join(risky, 'logs', 'legacy.log'),
        join(risky, 'logs', 'quartz.log'),
        join(risky, 'logs', 'scheduler.log'),
      ].sort(),
    );
  });

  it('hardened: Quartz at WARN, root at INFO, an unresolved sys: level substitution takes its default: QA-C10 passes', async () => {
    const d = evaluateConfig(await factsOf([join(dir, 'java-logging-hardened')]), { asOf: ASOF, only: ['QA-C10'] });
    expect(d.map((x) => x.status)).toEqual(['pass']);
  });
});

describe('Java versions from builds and jars (QA-C11)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await stage(['java-build-risky', 'java-build-hardened'], 0o644));
  });
  afterAll(() => cleanup());

  it('reads pom.xml (properties), build.gradle (ext variable, map notation, comments skipped), gradle.lockfile and a lib/ jar', async () => {
    const facts = await factsOf([join(dir, 'java-build-risky')]);
    const q = facts.packages
      .filter((p) => p.name.startsWith('org.quartz-scheduler:'))
      .map((p) => `${p.source} ${p.name} ${p.version} ${p.file.split('/').slice(-2).join('/')}:${p.line ?? '-'}`)
      .sort();
    expect(q).toEqual([
      'gradle org.quartz-scheduler:quartz 2.3.0 java-build-risky/build.gradle:12',
      'gradle org.quartz-scheduler:quartz 2.3.1 java-build-risky/gradle.lockfile:5',
      'gradle org.quartz-scheduler:quartz-jobs 2.3.0 java-build-risky/build.gradle:13',
      'jar org.quartz-scheduler:quartz 2.3.0 lib/quartz-2.3.0.jar:-',
      'maven org.quartz-scheduler:quartz 2.2.3 java-build-risky/pom.xml:17',
      'maven org.quartz-scheduler:quartz-jobs 2.2.3 java-build-risky/pom.xml:22',
    ]);
    // a dependency whose version the parent BOM manages is not guessed
    expect(facts.packages.some((p) => p.name === 'org.postgresql:postgresql')).toBe(false);
  });

  it('risky: CVE-2019-13990 for every Quartz below 2.3.2, and 2.2.x out of support', () => {
    return factsOf([join(dir, 'java-build-risky')]).then((facts) => {
      const f = fails(evaluateConfig(facts, { asOf: ASOF }), 'QA-C11');
      const got = f.map((d) => `${d.evidence?.advisory ?? 'eol'} ${d.evidence?.version} ${d.severity}`).sort();
      expect(got).toEqual([
        'CVE-2019-13990 2.2.3 high',
        'CVE-2019-13990 2.3.0 high',
        'CVE-2019-13990 2.3.0 high',
        'CVE-2019-13990 2.3.1 high',
        'eol 2.2.3 medium',
      ]);
      expect(
        f.every((d) => /data\/(config-versions|eol)\.json \(\d{4}-\d\d-\d\d\)/.test(String(d.evidence?.table))),
      ).toBe(true);
    });
  });

  it('hardened: 2.5.0 (pom dependencyManagement, lockfile, WEB-INF/lib jar) and 2.3.2 (Kotlin DSL val): passes', async () => {
    const facts = await factsOf([join(dir, 'java-build-hardened')]);
    expect(facts.packages.map((p) => `${p.source} ${p.version}`).sort()).toEqual([
      'gradle 2.3.2',
      'gradle 2.5.0',
      'jar 2.5.0',
      'maven 2.5.0',
    ]);
    const d = evaluateConfig(facts, { asOf: ASOF, only: ['QA-C11'] });
    expect(d.map((x) => x.status)).toEqual(['pass']);
  });

  it('a broken pom.xml or log4j2.xml is one clear error naming the file and line', async () => {
    const bad = join(dir, 'pom.xml');
    await write(bad, '<project>\n  <dependencies>\n    <dependency>\n  </dependencies>\n</project>\n');
    const err = await readConfig(await discoverConfigFiles([bad])).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigParseError);
    expect([err.exitCode, err.line]).toEqual([2, 4]);
    expect(err.message).toMatch(new RegExp(`^${bad}:4: malformed XML`));
    const bad2 = join(dir, 'log4j2.xml');
    await write(
      bad2,
      '<Configuration>\n<Loggers>\n<Logger name="org.quartz" level="debug">\n</Loggers>\n</Configuration>\n',
    );
    const err2 = await readConfig(await discoverConfigFiles([bad2])).catch((e) => e);
    expect([err2.exitCode, err2.file, err2.line]).toEqual([2, bad2, 4]);
  });
});
