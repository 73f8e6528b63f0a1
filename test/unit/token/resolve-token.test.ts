// resolveToken's choice of source, with a fake Transport that only answers the token file read.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveToken } from '../../../src/token/resolve-token.js';
import { tokenFingerprint } from '../../../src/facts/k3s-config.js';
import type { FleetFacts, HostFacts } from '../../../src/facts/types.js';
import type { Inventory } from '../../../src/inventory/types.js';
import type { Transport } from '../../../src/ssh/transport.js';
import { storeToken } from '../../../src/token/store.js';
import { host, inventory } from '../support/plan-inputs.js';

const SECRET = 'stored-secret-0123456789abcdef';
const FULL = `K10${'ab'.repeat(32)}::server:${SECRET}`;

function memberFacts(name: string, tokenHash: string | undefined): HostFacts {
  return { host: name, reachable: true, k3s: { installed: true, running: true, role: 'server', etcdData: true, sqliteData: false, ...(tokenHash ? { tokenHash } : {}) } } as HostFacts;
}

describe('exec/token: which token a run uses', () => {
  let dir: string;
  let file: string;
  let reads: string[];
  const transportFor = async (name: string): Promise<Transport> =>
    ({
      host: name,
      exec: async (command: string) => {
        reads.push(`${name}: ${command}`);
        return { stdout: `${FULL}\n`, stderr: '', exitCode: 0, timedOut: false, durationMs: 1 };
      },
    }) as unknown as Transport;
  let inv: Inventory;
  let facts: FleetFacts;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleet-token-'));
    file = join(dir, 'token');
    reads = [];
    inv = inventory([host('s-1', { role: 'server' })]);
    facts = new Map([['s-1', memberFacts('s-1', tokenFingerprint(SECRET))]]);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the stored token without a round trip when it matches every member and nothing is installed', async () => {
    storeToken(file, SECRET);
    const result = await resolveToken(inv, ['s-1'], facts, transportFor, file, { installsNothingWith: () => true });
    expect(result).to.deep.equal({ token: SECRET, source: 'stored' });
    expect(reads).to.deep.equal([]);
  });

  it("reads the cluster's full token (with its CA hash) when anything will be installed", async () => {
    storeToken(file, SECRET);
    const result = await resolveToken(inv, ['s-1'], facts, transportFor, file, { installsNothingWith: () => false });
    expect(result).to.deep.equal({ token: FULL, source: 'cluster' });
    expect(reads).to.deep.equal(['s-1: cat /var/lib/rancher/k3s/server/token']);
  });

  it('reads the cluster token when a member was not written with the stored token', async () => {
    storeToken(file, 'another-secret-0123456789');
    expect((await resolveToken(inv, ['s-1'], facts, transportFor, file, { installsNothingWith: () => true })).source).to.equal('cluster');
    const unknown: FleetFacts = new Map([['s-1', memberFacts('s-1', undefined)]]);
    rmSync(file); // storeToken never overwrites a different token
    storeToken(file, SECRET);
    expect((await resolveToken(inv, ['s-1'], unknown, transportFor, file, { installsNothingWith: () => true })).source).to.equal('cluster');
  });
});
