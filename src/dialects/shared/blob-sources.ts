/** The Quartz columns the scan streams, per table: shared by the adapters (each quotes and cases them). */
import type { BlobTable } from '../../model.js';

export interface BlobSource {
  table: BlobTable;
  /** The serialized column; '' where the table has none (SIMPROP_TRIGGERS: text properties only). */
  column: string;
  group: string | null;
  name: string;
  /** Text columns read with it: JOB_CLASS_NAME, DESCRIPTION, STR_PROP_1..3. */
  extra: string[];
}

export const BLOB_SOURCES: readonly BlobSource[] = [
  {
    table: 'JOB_DETAILS',
    column: 'JOB_DATA',
    group: 'JOB_GROUP',
    name: 'JOB_NAME',
    extra: ['JOB_CLASS_NAME', 'DESCRIPTION'],
  },
  { table: 'TRIGGERS', column: 'JOB_DATA', group: 'TRIGGER_GROUP', name: 'TRIGGER_NAME', extra: ['DESCRIPTION'] },
  { table: 'BLOB_TRIGGERS', column: 'BLOB_DATA', group: 'TRIGGER_GROUP', name: 'TRIGGER_NAME', extra: [] },
  { table: 'CALENDARS', column: 'CALENDAR', group: null, name: 'CALENDAR_NAME', extra: [] },
  // No blob: the free-text properties, for the secret detectors.
  {
    table: 'SIMPROP_TRIGGERS',
    column: '',
    group: 'TRIGGER_GROUP',
    name: 'TRIGGER_NAME',
    extra: ['STR_PROP_1', 'STR_PROP_2', 'STR_PROP_3'],
  },
];
