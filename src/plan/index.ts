// Public surface of the planner.
export { plan } from './plan.js';
export { quorumOf, describeQuorum, explainEven, type QuorumFigures } from './quorum.js';
export { renderPlanHuman, PLAIN, type Style, type HumanOptions } from './render-human.js';
export { renderPlanJson } from './render-json.js';
export { serverUrl, SUPERVISOR_PORT } from './host-config.js';
export { MUST_MATCH_FLAGS, FLEET_OWNED_FLAGS } from '../inventory/must-match.js';
export * from './types.js';
