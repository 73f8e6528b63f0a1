import { expect } from 'chai';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SafetyError } from '../../../../src/errors.js';
import type { HostFacts } from '../../../../src/facts/types.js';
import type { HostSpec, Inventory, Role } from '../../../../src/inventory/types.js';
import { runUp } from '../../../../src/ops/up/operation.js';
import type { UpDeps } from '../../../../src/ops/up/context.js';
import { FakeCluster } from '../../support/fake-cluster.js';

const TOKEN = 'unit-test-token-0123456789';

function inventory(dir: string, roles: Array<[string, Role]>, concurrency = 2, agentsWaitFor: 'first-server' | 'all-servers' = 'first-server'): Inventory {
  const hosts: HostSpec[] = roles.map(([name, role], index) => ({
    name,
    address: `10.0.0.${index + 1}`,
    role,
    init: false,
    ssh: { user: 'pi', port: 22, knownHostsFile: '/dev/null' },
    config: {},
    labels: {},
    index,
  }));
  return {
    file: join(dir, 'inventory.yaml'),
    dir,
    cluster: {
      name: 'unit',
      token: TOKEN,
      tokenSource: 'inline',
      k3s: { version: 'v1.31.4+k3s1' },
      tlsSan: [],
      allowEvenServers: false,
      config: {},
      agentConfig: {},
      disk: { maxFsyncP99Ms: 10, onSlow: 'refuse' },
      concurrency,
      agentsWaitFor,
    },
    hosts,
  };
}

function deps(cluster: FakeCluster, facts: (name: string) => HostFacts = (n) => cluster.facts(n)): UpDeps {
  return {
    transportFor: async (name) => cluster.transport(name),
    gatherHostFacts: async (t) => facts(t.host),
    probeDisk: async () => ({ tool: 'fio', p99Ms: 2.5, p50Ms: 1, samples: 300, directory: '/var/lib/rancher' }),
  };
}

const fast = { serverTimeoutMs: 2000, agentTimeoutMs: 2000 };

describe('exec/up (fake transport: step logic only)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleet-up-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const roles: Array<[string, Role]> = [
    ['s1', 'server'],
    ['s2', 'server'],
    ['s3', 'server'],
    ['a1', 'agent'],
    ['a2', 'agent'],
    ['a3', 'agent'],
    ['a4', 'agent'],
    ['a5', 'agent'],
  ];

  it('installs the first server, then each server alone, with agents from when the first is ready, within the concurrency', async () => {
    const inv = inventory(dir, roles, 2);
    const cluster = new FakeCluster(inv.hosts);
    cluster.installMs = 40;
    const { report } = await runUp(inv, deps(cluster), fast);
    expect(report.exitCode).to.equal(0);
    const servers = cluster.events.filter((e) => e.role === 'server');
    const agents = cluster.events.filter((e) => e.role === 'agent');
    expect(servers.map((e) => e.host)).to.deep.equal(['s1', 's2', 's3']);
    for (let i = 1; i < servers.length; i++) expect(servers[i]!.start).to.be.at.least(servers[i - 1]!.end);
    expect(agents).to.have.length(5);
    for (const a of agents) expect(a.start).to.be.at.least(servers[0]!.end);
    // The first agent wave runs alongside the second server's join, not after the last server.
    expect(Math.min(...agents.map((a) => a.start))).to.be.below(servers[1]!.end);
    // Most installs running at one instant: count those running at each install's start.
    const overlap = Math.max(...agents.map((a) => agents.filter((b) => b.start <= a.start && b.end > a.start).length));
    expect(overlap).to.equal(2);
    expect(report.hosts.every((h) => h.outcome === 'changed')).to.equal(true);
    expect(report.kubeconfig).to.equal(join(dir, '.fleet', 'unit', 'kubeconfig'));
    expect(statSync(report.kubeconfig!).mode & 0o777).to.equal(0o600);
  });

  it('keeps agents behind the last server join with agentsWaitFor: all-servers', async () => {
    const inv = inventory(dir, roles, 2, 'all-servers');
    const cluster = new FakeCluster(inv.hosts);
    const { report } = await runUp(inv, deps(cluster), fast);
    expect(report.exitCode).to.equal(0);
    const servers = cluster.events.filter((e) => e.role === 'server');
    const agents = cluster.events.filter((e) => e.role === 'agent');
    expect(agents).to.have.length(5);
    for (const a of agents) expect(a.start).to.be.at.least(servers[2]!.end);
  });

  it('starts no agent when the first server fails', async () => {
    const inv = inventory(dir, roles, 2);
    const cluster = new FakeCluster(inv.hosts);
    cluster.failInstall.add('s1');
    const { report } = await runUp(inv, deps(cluster), fast);
    expect(report.exitCode).to.equal(1);
    expect(cluster.events.map((e) => e.host)).to.deep.equal(['s1']);
    expect(report.notStarted).to.include.members(['s2', 's3', 'a1', 'a2', 'a3', 'a4', 'a5']);
  });

  it('writes the token only into config files, never into commands or the report', async () => {
    const inv = inventory(dir, roles.slice(0, 4));
    const cluster = new FakeCluster(inv.hosts);
    const { report } = await runUp(inv, deps(cluster), fast);
    for (const c of cluster.commands) {
      expect(c.command).to.not.include(TOKEN);
      expect(c.stdin).to.not.include(TOKEN);
    }
    const configs = cluster.writes.filter((w) => w.path.endsWith('-config.yaml'));
    expect(configs).to.have.length(4);
    for (const w of configs) expect(w.content).to.include(`token: ${TOKEN}`);
    expect(JSON.stringify(report)).to.not.include(TOKEN);
  });

  it('lets the other hosts finish when an agent is unreachable, and names it', async () => {
    const inv = inventory(dir, roles);
    const cluster = new FakeCluster(inv.hosts);
    const gone = (n: string) => (n === 'a2' ? { ...cluster.facts(n), reachable: false, error: 'connect ETIMEDOUT 10.0.0.5:22' } : cluster.facts(n));
    const { report } = await runUp(inv, deps(cluster, gone), fast);
    expect(report.exitCode).to.equal(1);
    const a2 = report.hosts.find((h) => h.name === 'a2')!;
    expect(a2.outcome).to.equal('failed');
    expect(a2.error).to.include('ETIMEDOUT');
    expect(cluster.events.map((e) => e.host)).to.not.include('a2');
    expect(cluster.events).to.have.length(7);
  });

  it('changes nothing anywhere when a server fails preflight', async () => {
    const inv = inventory(dir, roles);
    const cluster = new FakeCluster(inv.hosts);
    const noCgroup = (n: string) => (n === 's2' ? { ...cluster.facts(n), memoryCgroup: false } : cluster.facts(n));
    let error: unknown;
    try {
      await runUp(inv, deps(cluster, noCgroup), fast);
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(SafetyError);
    expect((error as Error).message)
      .to.include('s2')
      .and.include('memory cgroup');
    expect(cluster.events).to.have.length(0);
    expect(cluster.writes).to.have.length(0);
  });

  it('stops joining servers after one fails but still joins agents to the healthy ones', async () => {
    const inv = inventory(dir, roles);
    const cluster = new FakeCluster(inv.hosts);
    cluster.failInstall.add('s2');
    const { report } = await runUp(inv, deps(cluster), fast);
    expect(report.exitCode).to.equal(1);
    expect(cluster.events.filter((e) => e.role === 'server').map((e) => e.host)).to.deep.equal(['s1', 's2']);
    expect(report.notStarted).to.include('s3');
    expect(report.hosts.find((h) => h.name === 's2')!.outcome).to.equal('failed');
    expect(cluster.events.filter((e) => e.role === 'agent')).to.have.length(5);
  });

  it('changes nothing on a converged fleet', async () => {
    const inv = inventory(dir, roles.slice(0, 4));
    const cluster = new FakeCluster(inv.hosts);
    await runUp(inv, deps(cluster), fast);
    const installed = cluster.events.length;
    const commandsBefore = cluster.commands.length;
    // The facts a second run would gather: the config fleet wrote, token fingerprinted.
    const { parseK3sConfig } = await import('../../../../src/facts/k3s-config.js');
    const written = new Map(cluster.writes.filter((w) => w.path.endsWith('-config.yaml')).map((w) => [w.host, parseK3sConfig(w.content)]));
    const converged = (n: string) => {
      const base = cluster.facts(n);
      const cfg = written.get(n)!;
      return { ...base, k3s: { ...base.k3s, version: 'v1.31.4+k3s1', config: cfg.config, tokenHash: cfg.tokenHash } };
    };
    const { report } = await runUp(inv, deps(cluster, converged), fast);
    expect(report.exitCode).to.equal(0);
    expect(report.changed).to.equal(false);
    expect(cluster.events.length).to.equal(installed);
    expect(report.hosts.every((h) => h.outcome === 'unchanged')).to.equal(true);
    // Nothing changed, so no server is waited for one by one, and verify judges the join-target
    // check's view (every node Ready in it): one cluster read in all, and no token file read.
    const since = cluster.commands.slice(commandsBefore);
    expect(since.filter((c) => c.stdin.includes('Read-only view of the cluster')).map((c) => c.host)).to.deep.equal(['s1']);
    expect(since.filter((c) => c.command.includes('server/token'))).to.deep.equal([]);
    expect(report.kubeconfig).to.equal(join(dir, '.fleet', 'unit', 'kubeconfig'));

    // A node that is NotReady in that view is waited for again and named.
    cluster.hosts.get('a1')!.ready = false;
    const before = cluster.commands.length;
    const again = await runUp(inv, deps(cluster, converged), { ...fast, agentTimeoutMs: 300 });
    expect(again.report.exitCode).to.equal(1);
    expect(again.report.hosts.find((h) => h.name === 'a1')!.error).to.include('NotReady');
    expect(cluster.commands.slice(before).filter((c) => c.stdin.includes('Read-only view of the cluster')).length).to.be.at.least(2);
    expect(report.hosts.find((h) => h.name === 's1')!.steps.map((s) => s.name)).to.deep.equal(['install-server']);
  });
});
