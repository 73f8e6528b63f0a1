// The JSON Schema of inventory.yaml (for editors: yaml-language-server), generated from the zod
// schema so the two cannot drift. scripts/gen-schema.mjs writes it to schema/inventory.schema.json.
import { z } from 'zod';
import { EXTENSION_PREFIX } from './load.js';
import { inventorySchema } from './inventory-schema.js';

export const INVENTORY_SCHEMA_ID = 'https://fleet-k3s.dev/schema/inventory.schema.json';

export function inventoryJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(inventorySchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  // Top-level x-… keys hold anchors for merge keys; the loader ignores them (load.ts).
  return { ...generated, $id: INVENTORY_SCHEMA_ID, title: 'fleet inventory', patternProperties: { [`^${EXTENSION_PREFIX}`]: {} } };
}

/** The exact text of schema/inventory.schema.json. */
export function inventoryJsonSchemaText(): string {
  return `${JSON.stringify(inventoryJsonSchema(), null, 2)}\n`;
}
