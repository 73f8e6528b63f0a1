// The JSON Schema of inventory.yaml (for editors: yaml-language-server), generated from the zod
// schema so the two cannot drift. scripts/gen-schema.mjs writes it to schema/inventory.schema.json.
import { z } from 'zod';
import { inventorySchema } from './schema.js';

export const INVENTORY_SCHEMA_ID = 'https://fleet-k3s.dev/schema/inventory.schema.json';

export function inventoryJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(inventorySchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...generated, $id: INVENTORY_SCHEMA_ID, title: 'fleet inventory' };
}

/** The exact text of schema/inventory.schema.json. */
export function inventoryJsonSchemaText(): string {
  return `${JSON.stringify(inventoryJsonSchema(), null, 2)}\n`;
}
