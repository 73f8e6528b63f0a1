import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inventoryJsonSchema, inventoryJsonSchemaText } from '../../../src/inventory/json-schema.js';

// dist/test/unit/inventory/ → repository root
const committed = fileURLToPath(new URL('../../../../schema/inventory.schema.json', import.meta.url));

describe('inventory: JSON Schema', () => {
  it('schema/inventory.schema.json is up to date (regenerate: npm run build && node scripts/gen-schema.mjs)', () => {
    expect(readFileSync(committed, 'utf8')).to.equal(inventoryJsonSchemaText());
  });

  it('forbids unknown keys and requires cluster and hosts', () => {
    const schema = inventoryJsonSchema() as { required: string[]; additionalProperties: boolean; properties: Record<string, { properties?: Record<string, unknown> }> };
    expect(schema.required).to.deep.equal(['cluster', 'hosts']);
    expect(schema.additionalProperties).to.equal(false);
    expect(Object.keys(schema.properties['cluster']!.properties!)).to.include.members(['name', 'token', 'registrationAddress', 'allowEvenServers']);
  });
});
