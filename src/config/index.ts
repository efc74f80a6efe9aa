/**
 * Quartz application configuration auditing (issue #15): entry points for `qrtz-audit config` and
 * `scan --from-config`.
 *   const files = await discoverConfigFiles(paths);
 *   const facts = await readConfig(files, { environment });
 *   const drafts = evaluateConfig(facts, { serviceUid });
 *   const target = toScanTarget(facts);
 */
export {
  CONFIG_CHECK_META,
  CONFIG_CHECKS,
  type ConfigCheck,
  type ConfigCheckMeta,
  type ConfigCheckOptions,
  type ConfigFindingDraft,
  evaluateConfig,
  jobDefinitionFindings,
} from './checks.js';
export { dialectOf, parseConnection } from './connection.js';
export { type DiscoverOptions, type DiscoveryNotes, discoverConfigFiles, uidOfUser } from './discover.js';
export { jobDefinitionBlobs } from './jobs.js';
export * from './model.js';
export { ENDPOINT_PACKAGES, type ReadOptions, readConfig } from './read.js';
export { type ScanTarget, toScanTarget } from './target.js';
