// `fleet add-node`: the operation lives in src/operations/add-node.ts.
export { clusterWithNewHosts, runAddNode, type AddNodeOptions } from '../operations/add-node.js';
