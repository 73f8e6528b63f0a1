// runUp on a cluster that already runs, with the fake transport: a dead first server is left out
// and new servers join a live member; an add-node quorum check refuses before any install.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SafetyError } from '../../../../src/errors.js';
import { runAddNode } from '../../../../src/ops/add-node/operation.js';
import { runUp } from '../../../../src/ops/up/operation.js';
import type { UpDeps } from '../../../../src/ops/up/context.js';
import type { HostFacts } from '../../../../src/facts/types.js';
import type { Inventory } from '../../../../src/inventory/types.js';
import { FakeCluster } from '../../support/fake-cluster.js';

function inventory(dir: string, names: string[]): Inventory {
  return {
    file: join(dir, 'inventory.yaml'),
    dir,
    cluster: {
      name: 'unit',
      token: 'unit-test-token-0123456789',
      tokenSource: 'inline',
      k3s: { version: 'v1.31.4+k3s1' },
      tlsSan: [],
      allowEvenServers: false,
      config: {},
      agentConfig: {},
      disk: { maxFsyncP99Ms: 10, onSlow: 'refuse' },
      concurrency: 2,
      agentsWaitFor: 'first-server',
    },
    hosts: names.map((name, index) => ({
      name,
      address: `10.0.0.${index + 1}`,
      role: 'server',
      init: index === 0,
      ssh: { user: 'pi', port: 22, knownHostsFile: '/dev/null' },
      config: {},
      labels: {},
      index,
    })),
  };
}

describe('exec/up on an existing cluster (fake transport)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleet-up-existing-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const withDeadFirst = (cluster: FakeCluster): UpDeps => ({
    transportFor: async (name) => cluster.transport(name),
    gatherHostFacts: async (t): Promise<HostFacts> => (t.host === 's1' ? { ...cluster.facts('s1'), reachable: false, error: 'connect ECONNREFUSED' } : cluster.facts(t.host)),
    probeDisk: async () => ({ tool: 'fio', p99Ms: 2.5, p50Ms: 1, samples: 300, directory: '/var/lib/rancher' }),
  });

  it('leaves an unreachable first server out and joins the new server to a live member', async () => {
    const inv = inventory(dir, ['s1', 's2', 's3']);
    const cluster = new FakeCluster(inv.hosts);
    cluster.hosts.get('s2')!.role = 'server';
    cluster.hosts.get('s2')!.ready = true;
    const { report, plan } = await runUp(inv, withDeadFirst(cluster), { serverTimeoutMs: 2000, agentTimeoutMs: 2000 });
    expect(plan?.firstServer).to.equal('s2');
    expect(report.hosts.find((h) => h.name === 's1')!.outcome).to.equal('failed');
    expect(report.warnings.join('\n')).to.include('s1 is unreachable and was left out');
    const s3Config = cluster.writes.find((w) => w.host === 's3' && w.path.endsWith('-config.yaml'))!.content;
    expect(s3Config).to.include('server: https://10.0.0.2:6443');
    expect(s3Config).to.not.include('cluster-init');
    expect(report.exitCode).to.equal(1);
  });

  it('refuses an add-node that leaves an even number of voters before any install (the quorum rule is a plan check)', async () => {
    const inv = inventory(dir, ['s1', 's2', 's3', 's4']);
    const cluster = new FakeCluster(inv.hosts);
    for (const name of ['s1', 's2', 's3']) Object.assign(cluster.hosts.get(name)!, { role: 'server', ready: true });
    cluster.hosts.get('s4')!.role = undefined;
    const deps: UpDeps = {
      transportFor: async (n) => cluster.transport(n),
      gatherHostFacts: async (t) => cluster.facts(t.host),
      probeDisk: async () => ({ tool: 'fio', p99Ms: 2.5, p50Ms: 1, samples: 300, directory: '/var/lib/rancher' }),
    };
    let error: unknown;
    try {
      await runAddNode(inv, ['s4'], deps, { serverTimeoutMs: 2000, agentTimeoutMs: 2000 });
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(SafetyError);
    expect((error as Error).message).to.include('3 → 4 servers');
    expect(cluster.events).to.deep.equal([]);
    expect(cluster.writes).to.deep.equal([]);
  });
});
