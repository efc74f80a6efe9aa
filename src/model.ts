/**
 * The shared vocabulary of qrtz-audit: the leaf names (dialects, Quartz tables, Unreadable:
 * src/model/common.ts), facts (what adapters read: src/model/facts.ts, with the typed per-engine and
 * capability facts in src/model/engines.ts), decoding (what the scan streams and the parsers make of it:
 * src/model/decoding.ts), findings and checks (src/model/findings.ts). Adapters produce facts and never
 * judge; checks are pure functions from facts (or one decoded blob) to findings; reports only format
 * findings. This module re-exports them all so `import … from './model.js'` keeps working.
 */
export * from './model/common.js';
export * from './model/decoding.js';
export * from './model/engines.js';
export * from './model/facts.js';
export * from './model/findings.js';
