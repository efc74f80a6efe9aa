// Entry of the fuzzing worker (scripts/fuzz.ts): a worker thread does not inherit tsx's loader,
// so register it here, then run the same TypeScript file (it sees isMainThread === false).
import { register } from 'tsx/esm/api';

register();
await import('./fuzz.ts');
