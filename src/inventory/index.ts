// Public surface of the inventory module.
export { load, loadInventory, parseInventory, MAX_INVENTORY_BYTES, type LoadOptions } from './load.js';
export { MUST_MATCH_FLAGS, FLEET_OWNED_FLAGS } from './must-match.js';
export { DEFAULTS } from './resolve.js';
export { inventorySchema } from './inventory-schema.js';
export type * from './types.js';
