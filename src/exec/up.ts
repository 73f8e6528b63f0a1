// `fleet up`: the operation lives in src/operations/up/ (a planner plus phases over one run
// context); this module keeps the names the CLI and tests import.
export { runUp } from '../operations/up/run-up.js';
export { PreflightFailed } from '../operations/up/record-plan.js';
export type { UpDeps, UpOptions, UpResult } from '../operations/up/context.js';
