/** The adapter contract moved to src/dialects/adapter.ts (one folder for everything database-specific). */
export type { Adapter, AdapterCapabilities, AdapterFactory, ConnectOptions } from './dialects/adapter.js';
