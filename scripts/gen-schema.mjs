// Writes schema/inventory.schema.json from the zod schema (run after `npm run build`).
// test/unit/inventory/json-schema.test.ts fails when the committed file is out of date.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { inventoryJsonSchemaText } = await import(join(root, 'dist/src/inventory/json-schema.js'));
const target = join(root, 'schema/inventory.schema.json');
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, inventoryJsonSchemaText());
console.log(`wrote ${target}`);
