/**
 * Job definitions from XML files as ScannedBlob-shaped values, so the content checks that judge
 * database blobs (QA-J*, QA-S*) can judge job-data-map entries of quartz_jobs.xml / jobs.xml the same
 * way. The row's tableName is the file and rowKey the job; entries keep their key paths.
 */
import type { ScannedBlob } from '../model.js';
import type { ConfigFacts, JobDefinitionFact } from './model.js';

export function jobDefinitionBlob(job: JobDefinitionFact): ScannedBlob {
  const strings = job.entries.flatMap((e) => (typeof e.value === 'string' ? [{ path: e.path, value: e.value }] : []));
  return {
    row: {
      table: 'JOB_DETAILS',
      tableName: `${job.file}${job.line !== undefined ? `:${job.line}` : ''}`,
      column: 'job-data-map',
      key: { sched: '(job file)', ...(job.group !== undefined ? { group: job.group } : {}), name: job.name },
      size: 0,
      jobClassName: job.jobType,
    },
    decoded: {
      format: 'properties',
      nestedFormats: [],
      types: [],
      quartzObject: 'JobDataMap',
      entries: job.entries.map((e) => ({ path: e.path, value: e.value })),
      strings,
    },
  };
}

/** Every job definition of the configuration as a blob for the content checks. */
export function jobDefinitionBlobs(facts: ConfigFacts): ScannedBlob[] {
  return facts.jobs.map(jobDefinitionBlob);
}
