/** QA-J01: job classes that run OS commands or invoke arbitrary code from their JobDataMap. */
import type { Check, FindingDraft, ScannedBlob } from '../../model.js';
import { entryValue, jobClassBase, rowObject, safeText } from '../job-util.js';

/** Job classes that start a process from the JobDataMap `command` key. */
export const NATIVE_JOBS = new Set([
  'Quartz.Job.NativeJob',
  'org.quartz.jobs.NativeJob',
  'org.quartz.examples.example15.NativeJob',
]);

/** Java quartz-jobs EE invokers: JMX operation, EJB method, JMS with a class name and JNDI URL from data. */
export const INVOKER_JOBS: Record<string, string> = {
  'org.quartz.jobs.ee.jmx.JMXInvokerJob': 'invokes any MBean operation named in JMX_OBJECTNAME/JMX_METHOD',
  'org.quartz.jobs.ee.ejb.EJBInvokerJob':
    'calls an EJB method named in the data, with a JNDI provider URL from the data',
  'org.quartz.jobs.ee.ejb.EJB3InvokerJob':
    'calls an EJB method named in the data, with a JNDI provider URL from the data',
  'org.quartz.jobs.ee.jms.SendQueueMessageJob':
    'instantiates jms.message.factory.class.name and looks up JNDI names from the data',
  'org.quartz.jobs.ee.jms.SendTopicMessageJob':
    'instantiates jms.message.factory.class.name and looks up JNDI names from the data',
  'org.quartz.jobs.ee.jms.SendDestinationMessageJob':
    'instantiates jms.message.factory.class.name and looks up JNDI names from the data',
};

export const j01: Check = {
  meta: {
    id: 'QA-J01',
    title: 'Job executes OS commands or invokes code named in its JobDataMap',
    family: 'content',
    severity: 'high',
    mitigation: 'Restrict which job types the scheduler can run; keep commands out of JobDataMaps',
    remediation:
      'Replace NativeJob/EE invoker jobs with a dedicated job class whose command is fixed in code; if a command job is required, keep the command in configuration the database cannot change and restrict write access to QRTZ_JOB_DETAILS and QRTZ_TRIGGERS.',
  },
  inspectBlob(blob: ScannedBlob): FindingDraft[] {
    if (blob.row.table !== 'JOB_DETAILS') return [];
    const cls = jobClassBase(blob.row.jobClassName);
    if (NATIVE_JOBS.has(cls)) {
      const command = entryValue(blob, 'command');
      const parameters = entryValue(blob, 'parameters');
      const shown =
        command === undefined ? '(no command key)' : safeText([command, parameters].filter(Boolean).join(' '));
      return [
        {
          status: 'fail',
          message: `${cls} runs an OS command from its JobDataMap: ${shown}`,
          object: rowObject(blob),
          evidence: {
            jobClass: safeText(blob.row.jobClassName ?? cls),
            command: command === undefined ? null : safeText(command),
            parameters: parameters === undefined ? null : safeText(parameters),
            workingDirectory: safeText(entryValue(blob, 'workingDirectory') ?? '') || null,
          },
        },
      ];
    }
    // Own keys only: a job class named "constructor" is not an invoker job.
    const invoker = Object.hasOwn(INVOKER_JOBS, cls) ? INVOKER_JOBS[cls] : undefined;
    if (invoker) {
      const url = entryValue(blob, 'java.naming.provider.url');
      const factory = entryValue(blob, 'jms.message.factory.class.name');
      return [
        {
          status: 'fail',
          message: `${cls} ${invoker}`,
          object: rowObject(blob),
          evidence: {
            jobClass: safeText(cls),
            jndiProviderUrl: url === undefined ? null : safeText(url),
            messageFactoryClass: factory === undefined ? null : safeText(factory),
            jmxObjectName: safeText(entryValue(blob, 'JMX_OBJECTNAME') ?? '') || null,
            ejb: safeText(entryValue(blob, 'ejb') ?? '') || null,
          },
        },
      ];
    }
    return [];
  },
};
