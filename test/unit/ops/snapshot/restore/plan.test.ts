// The restore planner from data: refusals (exit 3) before anything changes, the reset server and
// the rejoin order, agents, stale nodes, and the steps the engine walks.
import { expect } from 'chai';
import { SafetyError } from '../../../../../src/errors.js';
import { tokenFingerprint } from '../../../../../src/facts/k3s-config.js';
import type { HostFacts } from '../../../../../src/facts/types.js';
import { planSnapshotRestore, type RestoreInput } from '../../../../../src/ops/snapshot/restore/plan.js';
import { planSnapshotSave } from '../../../../../src/ops/snapshot/save/plan.js';
import { parseSnapshotTable } from '../../../../../src/ops/snapshot/list/k3s-list.js';
import type { SnapshotRecord } from '../../../../../src/ops/snapshot/record.js';
import { fleetFacts, hostFacts, host } from '../../../support/plan-inputs.js';

const TOKEN = 'secret-token';
const record: SnapshotRecord = {
  name: 'on-demand-s1-1764590000',
  cluster: 'lab',
  k3sVersion: 'v1.31.4+k3s1',
  server: 's1',
  takenAt: '2026-12-01T00:00:00Z',
  size: 1234,
  sha256: 'a'.repeat(64),
  tokenFingerprint: tokenFingerprint(TOKEN),
  nodes: ['a1', 'gone', 's1', 's2', 's3'],
};

function k3s(name: string, role: 'server' | 'agent', config: Record<string, unknown> = {}, extra: Partial<HostFacts['k3s']> = {}): HostFacts {
  const facts = hostFacts(name);
  facts.k3s = {
    installed: true,
    running: true,
    role,
    etcdData: role === 'server',
    sqliteData: false,
    version: 'v1.31.4+k3s1',
    tokenHash: tokenFingerprint(`K10abc::server:${TOKEN}`),
    config: config as never,
    ...extra,
  };
  return facts;
}

function input(overrides: Partial<RestoreInput> = {}): RestoreInput {
  const hosts = ['s1', 's2', 's3', 'a1', 'a2', 'new'].map((name, i) => host(name, { address: `10.0.0.${i + 1}` }));
  return {
    cluster: 'lab',
    hosts,
    facts: fleetFacts(
      k3s('s1', 'server', { 'cluster-init': true }),
      k3s('s2', 'server', { server: 'https://10.0.0.3:6443' }),
      k3s('s3', 'server', { server: 'https://10.0.0.1:6443' }),
      k3s('a1', 'agent'),
      k3s('a2', 'agent'),
      hostFacts('new'),
    ),
    record,
    fileSha256: record.sha256,
    ...overrides,
  };
}

describe('planSnapshotRestore', () => {
  it('resets the cluster-init server, rejoins the others through servers already up, then agents, stale nodes, verify', () => {
    const plan = planSnapshotRestore(input());
    expect(plan.target).to.equal('s1');
    expect(plan.rejoining).to.deep.equal(['s3', 's2']); // s2 joins through s3, which must be up first
    expect(plan.agents).to.deep.equal(['a1', 'a2']);
    expect(plan.untouched).to.deep.equal(['new']);
    expect(plan.staleNodes).to.deep.equal(['gone']);
    expect(plan.warnings.join('\n')).to.include('a2 joined after the snapshot').and.include('new has no K3s');
    const byId = new Map(plan.steps.map((s) => [s.id, s]));
    expect(byId.get('cluster-reset:s1')!.dependsOn).to.have.members(['stop-k3s:s1', 'stop-k3s:s2', 'stop-k3s:s3', 'stop-k3s:a1', 'stop-k3s:a2', 'upload-snapshot:s1']);
    expect(byId.get('rejoin-server:s3')!.dependsOn).to.deep.equal(['start-server:s1']);
    expect(byId.get('rejoin-server:s2')!.dependsOn).to.deep.equal(['rejoin-server:s3']);
    expect(byId.get('start-agent:a1')).to.include({ lane: 'agents' });
    expect(byId.get('start-agent:a1')!.dependsOn).to.deep.equal(['rejoin-server:s2']);
    expect(byId.get('delete-node:gone')).to.include({ host: 's1', action: 'delete-node' });
    expect(byId.get('verify:cluster')!.dependsOn).to.have.members(['start-agent:a1', 'start-agent:a2', 'delete-node:gone']);
    expect(plan.steps.some((s) => s.host === 'new')).to.equal(false);
  });

  const refused = (overrides: Partial<RestoreInput>, pattern: RegExp) => {
    expect(() => planSnapshotRestore(input(overrides))).to.throw(SafetyError, pattern);
  };

  it('refuses a file whose sha256 is not the recorded one', () => refused({ fileSha256: 'b'.repeat(64) }, /does not match its record/));
  it('refuses when a server runs with another token', () => {
    const base = input();
    base.facts.get('s2')!.k3s.tokenHash = tokenFingerprint('other');
    expect(() => planSnapshotRestore(base)).to.throw(SafetyError, /\(s2\) is not the one/);
  });
  it('refuses when the inventory sets another token', () => refused({ inventoryTokenFingerprint: tokenFingerprint('other') }, /the inventory \(cluster.token\)/));
  it('refuses a snapshot of a newer minor, accepts an older one', () => {
    refused({ record: { ...record, k3sVersion: 'v1.32.0+k3s1' } }, /newer minor than v1.31.4\+k3s1 on s1/);
    expect(planSnapshotRestore(input({ record: { ...record, k3sVersion: 'v1.30.2+k3s1' } })).target).to.equal('s1');
  });
  it('refuses a snapshot of another cluster', () => refused({ record: { ...record, cluster: 'other' } }, /taken from cluster other/));
  it('refuses while a host is unreachable', () => {
    const base = input();
    base.facts.get('a2')!.reachable = false;
    expect(() => planSnapshotRestore(base)).to.throw(SafetyError, /cannot reach a2/);
  });
  it('refuses without any server (fresh hosts are for up --restore-from)', () => {
    refused({ hosts: [host('new')], facts: fleetFacts(hostFacts('new')) }, /no host of the inventory runs a K3s server/);
  });
  it('refuses a server that would rejoin through a host the inventory lacks', () => {
    const base = input();
    base.facts.get('s2')!.k3s.config = { server: 'https://10.9.9.9:6443' };
    expect(() => planSnapshotRestore(base)).to.throw(SafetyError, /s2 joins through 10.9.9.9/);
  });
});

describe('planSnapshotSave and the K3s list', () => {
  it('plans save then fetch on the healthy server; refuses a bad name (exit 2)', () => {
    const plan = planSnapshotSave('s2', 'pre-upgrade');
    expect(plan.steps.map((s) => `${s.id} <- ${s.dependsOn.join(',')}`)).to.deep.equal(['save-snapshot:s2 <- ', 'fetch-snapshot:s2 <- save-snapshot:s2']);
    expect(planSnapshotSave('s1', undefined).baseName).to.equal('on-demand');
    expect(() => planSnapshotSave('s1', 'Bad Name')).to.throw(/not a usable snapshot name/);
  });

  it("parses K3s's table", () => {
    const table = [
      'Name                         Location                                                                   Size    Created',
      'on-demand-s1-1764590000      file:///var/lib/rancher/k3s/server/db/snapshots/on-demand-s1-1764590000     2101280 2026-12-01T12:00:00Z',
      'etcd-snapshot-s1-1764633600  file:///var/lib/rancher/k3s/server/db/snapshots/etcd-snapshot-s1-1764633600 2101312 2026-12-02T00:00:00Z',
    ].join('\n');
    expect(parseSnapshotTable(table)).to.deep.equal([
      { name: 'on-demand-s1-1764590000', location: 'file:///var/lib/rancher/k3s/server/db/snapshots/on-demand-s1-1764590000', size: 2101280, createdAt: '2026-12-01T12:00:00Z' },
      { name: 'etcd-snapshot-s1-1764633600', location: 'file:///var/lib/rancher/k3s/server/db/snapshots/etcd-snapshot-s1-1764633600', size: 2101312, createdAt: '2026-12-02T00:00:00Z' },
    ]);
    expect(parseSnapshotTable('time="…" level=fatal msg="etcd database not found"')).to.deep.equal([]);
  });
});
