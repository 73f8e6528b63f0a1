// The plan decides what a run does on each host: nothing on a converged host, a restart of the
// drifted one, an install on a new one; the token's source; stale members of re-imaged hosts;
// add-node's quorum rule; preflight's refusal. From data, without any transport.
import { expect } from 'chai';
import type { ClusterView } from '../../../../src/facts/cluster-view.js';
import { SafetyError } from '../../../../src/errors.js';
import { tokenFingerprint } from '../../../../src/facts/k3s-config.js';
import type { HostFacts } from '../../../../src/facts/types.js';
import { plan } from '../../../../src/ops/up/plan.js';
import { renderPlanHuman } from '../../../../src/ops/up/render.js';
import { fleetFacts, host, hostFacts, inventory } from '../../support/plan-inputs.js';

const TOKEN = 'unit-token-0123456789abcdef';
const VERSION = 'v1.31.4+k3s1';

/** A host that runs what a first plan gave it: the planned config, version and token. */
function converged(name: string, role: 'server' | 'agent', config: Record<string, unknown>, token = TOKEN): HostFacts {
  const facts = hostFacts(name, role === 'server' ? { etcdData: true, runningServer: true } : {});
  facts.k3s = { ...facts.k3s, installed: true, running: true, role, version: VERSION, config: config as HostFacts['k3s']['config'], tokenHash: tokenFingerprint(token) };
  return facts;
}

const hosts = [host('s-1', { role: 'server' }), host('s-2', { role: 'server' }), host('s-3', { role: 'server' }), host('a-4', { role: 'agent' })];
const inv = (extra = {}) => inventory(hosts, { token: TOKEN, k3s: { version: VERSION }, ...extra });
const view = (from: string, members: Array<[string, string]>): ClusterView => ({
  from,
  etcdHealthy: true,
  nodes: [],
  members: members.map(([id, address]) => ({ id, name: `m-${id}`, peerURLs: [`https://${address}:2380`], clientURLs: [`https://${address}:2379`], isLearner: false })),
});

/** Facts of a fleet that already runs exactly what `inv()` plans. */
function convergedFleet() {
  const first = plan(inv(), fleetFacts(converged('s-1', 'server', {}), hostFacts('s-2'), hostFacts('s-3'), hostFacts('a-4')));
  return (names: string[] = ['s-1', 's-2', 's-3', 'a-4']) =>
    fleetFacts(
      ...names.map((n) => {
        const p = first.hosts.find((h) => h.name === n)!;
        return converged(n, p.role, p.config);
      }),
    );
}

describe('plan: what a run does on each host (facts)', () => {
  it('a converged fleet: nothing to do on any host, no changing step, no server waits', () => {
    const result = plan(inv(), convergedFleet()());
    expect(result.hosts.map((h) => h.action)).to.deep.equal(['none', 'none', 'none', 'none']);
    expect(result.steps.filter((s) => s.changes)).to.deep.equal([]);
    expect(result.steps.some((s) => s.action === 'wait-server')).to.equal(false);
    const human = renderPlanHuman(result);
    expect(human).to.include('Nothing to do: every host runs what the inventory says.');
    expect(human.match(/^ {2}\S+ +nothing to do$/gm)).to.have.length(4);
  });

  it('drift on one server: only it reconfigures; earlier servers are waited for, later ones not', () => {
    const drifted = inventory(
      hosts.map((h) => (h.name === 's-2' ? { ...h, labels: { zone: 'b' } } : h)),
      { token: TOKEN, k3s: { version: VERSION } },
    );
    const result = plan(drifted, convergedFleet()());
    expect(result.hosts.find((h) => h.name === 's-2')!.action).to.equal('reconfigure-restart');
    expect(result.hosts.find((h) => h.name === 's-2')!.actionReason).to.include('node-label');
    expect(result.steps.filter((s) => s.changes).map((s) => s.id)).to.deep.equal(['install-server:s-2']);
    expect(result.steps.filter((s) => s.action === 'wait-server').map((s) => s.host)).to.deep.equal(['s-1', 's-2']);
  });

  it("a new version is not up's to roll out: refused (exit 3), pointing to fleet upgrade", () => {
    expect(() => plan(inv({ k3s: { version: 'v1.32.0+k3s1' } }), convergedFleet()())).to.throw(SafetyError, /fleet up does not change the version of a running cluster/);
  });

  it('refuses an inventory token the members do not use (exit 3)', () => {
    expect(() => plan(inv({ token: 'another-token-0123456789' }), convergedFleet()())).to.throw(SafetyError, "the inventory's token differs from the one the running cluster uses (on s-1, s-2, s-3)");
  });

  it("without cluster.token: the stored token when nothing installs, the cluster's when something does", () => {
    const noToken = { token: undefined };
    const facts = convergedFleet()();
    expect(plan(inv(noToken), facts, { storedTokenFingerprint: tokenFingerprint(TOKEN) }).token).to.equal('stored');
    expect(plan(inv(noToken), facts).token).to.equal('cluster');
    const withNewAgent = convergedFleet()(['s-1', 's-2', 's-3']);
    withNewAgent.set('a-4', hostFacts('a-4'));
    const joining = plan(inv(noToken), withNewAgent, { storedTokenFingerprint: tokenFingerprint(TOKEN) });
    expect(joining.token).to.equal('cluster');
    expect(joining.steps.filter((s) => s.changes).map((s) => s.id)).to.deep.equal(['install-agent:a-4']);
  });

  it('a re-imaged server: its stale member is removed first, then it reinstalls and joins the live member', () => {
    const facts = convergedFleet()(['s-1', 's-3', 'a-4']);
    facts.set('s-2', hostFacts('s-2', { p99Ms: 2 }));
    const result = plan(inv(), facts, {
      view: view('s-1', [
        ['1', '10.0.0.1'],
        ['2', '10.0.0.2'],
        ['3', '10.0.0.3'],
      ]),
    });
    expect(result.joinTarget).to.equal('s-1');
    expect(result.staleMembers.map((m) => [m.host, m.memberId])).to.deep.equal([['s-2', '2']]);
    expect(result.steps.filter((s) => s.changes).map((s) => s.id)).to.deep.equal(['remove-stale-member:s-2', 'install-server:s-2']);
    expect(result.steps.find((s) => s.id === 'install-server:s-1')!.dependsOn).to.deep.equal(['remove-stale-member:s-2']);
  });

  it("preflight: a server with a problem is the plan's refusal; an agent with one is left out", () => {
    const facts = fleetFacts(hostFacts('s-1'), { ...hostFacts('s-2'), memoryCgroup: false }, hostFacts('s-3'), { ...hostFacts('a-4'), memoryCgroup: false });
    const result = plan(inv(), facts);
    expect(result.refusal?.message).to.include('s-2').and.include('memory cgroup');
    expect(result.hosts.find((h) => h.name === 'a-4')!.action).to.equal('left-out');
    expect(result.steps.some((s) => s.host === 'a-4')).to.equal(false);
  });

  it('add-node: an add that leaves an even number of voters is refused by the plan, or warned with allowEven', () => {
    const facts = convergedFleet()(['s-1', 's-2', 's-3']);
    facts.set('s-4', hostFacts('s-4', { p99Ms: 2 }));
    const adding = inventory([...hosts.slice(0, 3), host('s-4', { role: 'server' })], { token: TOKEN, k3s: { version: VERSION } });
    const live = view('s-1', [
      ['1', '10.0.0.1'],
      ['2', '10.0.0.2'],
      ['3', '10.0.0.3'],
    ]);
    expect(() => plan(adding, facts, { view: live, addNode: { adding: ['s-4'], allowEven: false } })).to.throw(SafetyError, '3 → 4 servers');
    const allowed = plan(adding, facts, { view: live, addNode: { adding: ['s-4'], allowEven: true } });
    expect(allowed.warnings.map((w) => w.message)).to.include.members(['--allow-even: 3 → 4 servers: quorum 2 → 3, tolerates 1 failure → 1 failure (no gain in tolerance)']);
    expect(allowed.steps.filter((s) => s.changes).map((s) => s.id)).to.deep.equal(['install-server:s-4']);
  });
});
