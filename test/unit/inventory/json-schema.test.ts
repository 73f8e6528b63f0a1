import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { InventoryError } from '../../../src/errors.js';
import { parseInventory } from '../../../src/inventory/load.js';
import { HOME } from './support.js';
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

// The schema editors get must agree with the loader: it accepts every example fleet ships, and
// rejects what the loader rejects wherever JSON Schema can say it (types, enums, ranges,
// patterns, unknown keys). Cross-field rules (an even server count) are the loader's alone.
describe('inventory: JSON Schema agrees with the loader', () => {
  const root = fileURLToPath(new URL('../../../../', import.meta.url));
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(inventoryJsonSchema());

  /** Full inventories (cluster and hosts) in the example file, fixtures and docs. */
  function examples(): Array<{ where: string; data: unknown }> {
    const found: Array<{ where: string; data: unknown }> = [];
    found.push({ where: 'inventory.example.yaml', data: parse(readFileSync(join(root, 'inventory.example.yaml'), 'utf8')) });
    found.push({ where: 'fixtures/valid-mixed.yaml', data: parse(readFileSync(join(root, 'test/fixtures/inventories/valid-mixed.yaml'), 'utf8')) });
    for (const page of ['README.md', 'docs/inventory.md', 'docs/existing-clusters.md']) {
      const text = readFileSync(join(root, page), 'utf8');
      for (const [index, block] of [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].entries()) {
        const data = parse(block[1]!, { merge: true }) as Record<string, unknown> | null;
        if (data && typeof data === 'object' && 'cluster' in data && 'hosts' in data) found.push({ where: `${page} block ${index + 1}`, data });
      }
    }
    return found;
  }

  it('accepts every example inventory (file, fixtures, README and docs)', () => {
    const all = examples();
    expect(all.length).to.be.at.least(4);
    for (const { where, data } of all) expect(validate(data), `${where}: ${ajv.errorsText(validate.errors)}`).to.equal(true);
  });

  const base = () => ({ cluster: { name: 'lab' }, hosts: [{ name: 'pi-1', address: '10.0.0.1' }] });
  const cases: Array<[string, (inv: ReturnType<typeof base> & Record<string, unknown>) => void]> = [
    ['a cluster name in capitals', (inv) => void ((inv.cluster as Record<string, unknown>)['name'] = 'Lab')],
    ['a numeric cluster name', (inv) => void ((inv.cluster as Record<string, unknown>)['name'] = 123)],
    ['a K3s version that cannot exist (v2)', (inv) => void ((inv.cluster as Record<string, unknown>)['k3s'] = { version: 'v2.0.0+k3s1' })],
    ['a K3s version without v', (inv) => void ((inv.cluster as Record<string, unknown>)['k3s'] = { version: '1.31.4+k3s1' })],
    ['a K3s version before embedded etcd', (inv) => void ((inv.cluster as Record<string, unknown>)['k3s'] = { version: 'v1.18.9+k3s1' })],
    ['a channel that does not exist', (inv) => void ((inv.cluster as Record<string, unknown>)['k3s'] = { channel: 'stabel' })],
    ['a version given as channel', (inv) => void ((inv.cluster as Record<string, unknown>)['k3s'] = { channel: 'v1.31.4+k3s1' })],
    ['an unknown cluster key', (inv) => void ((inv.cluster as Record<string, unknown>)['version'] = 'v1.31.4+k3s1')],
    ['an unknown top-level key', (inv) => void (inv['nodes'] = [])],
    ['an unknown host key (ip)', (inv) => void ((inv.hosts[0] as Record<string, unknown>)['ip'] = '10.0.0.1')],
    ['a role that does not exist', (inv) => void ((inv.hosts[0] as Record<string, unknown>)['role'] = 'master')],
    ['a kind that does not exist', (inv) => void ((inv.hosts[0] as Record<string, unknown>)['kind'] = 'arm')],
    ['an SSH port out of range', (inv) => void ((inv.hosts[0] as Record<string, unknown>)['ssh'] = { port: 70000 })],
    ['a user name with a space', (inv) => void ((inv.hosts[0] as Record<string, unknown>)['ssh'] = { user: 'pi user' })],
    ['concurrency 0', (inv) => void ((inv.cluster as Record<string, unknown>)['concurrency'] = 0)],
    ['concurrency 1.5', (inv) => void ((inv.cluster as Record<string, unknown>)['concurrency'] = 1.5)],
    ['100 servers', (inv) => void ((inv.cluster as Record<string, unknown>)['servers'] = 100)],
    ['a negative fsync bound', (inv) => void ((inv.cluster as Record<string, unknown>)['disk'] = { maxFsyncP99Ms: -1 })],
    ['an onSlow policy that does not exist', (inv) => void ((inv.cluster as Record<string, unknown>)['disk'] = { onSlow: 'ignore' })],
    ['no hosts', (inv) => void (inv.hosts = [])],
    ['a host without address', (inv) => void delete (inv.hosts[0] as Record<string, unknown>)['address']],
    ['init that is not a boolean', (inv) => void ((inv.hosts[0] as Record<string, unknown>)['init'] = 'yes')],
  ];

  it('accepts the base inventory the rejection cases start from', () => {
    expect(validate(base()), ajv.errorsText(validate.errors)).to.equal(true);
    expect(() => parseInventory(stringify(base()), '/tmp/inventory.yaml', { env: {}, home: HOME, localUser: 'tester' })).to.not.throw();
  });

  for (const [what, edit] of cases) {
    it(`rejects ${what}, as the loader does`, () => {
      const inventory = base() as ReturnType<typeof base> & Record<string, unknown>;
      edit(inventory);
      expect(() => parseInventory(stringify(inventory), '/tmp/inventory.yaml', { env: {}, home: HOME, localUser: 'tester' }), 'the loader').to.throw(InventoryError);
      expect(validate(inventory), 'the JSON Schema').to.equal(false);
    });
  }
});
