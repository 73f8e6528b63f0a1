import { expect } from 'chai';
import type { EtcdMember } from '../../../../src/facts/etcd-members.js';
import { parseMemberHealth } from '../../../../src/facts/member-health.js';
import { dangerLine, renderStatusHuman } from '../../../../src/ops/status/render.js';
import { assembleStatus, etcdQuorum } from '../../../../src/ops/status/cluster-status.js';
import type { NodeInfo } from '../../../../src/facts/nodes.js';
import { hostFacts, servers, host } from '../../support/plan-inputs.js';

const member = (id: string, n: number): EtcdMember => ({ id, name: `s-${n}-x`, peerURLs: [`https://10.0.0.${n}:2380`], clientURLs: [`https://10.0.0.${n}:2379`], isLearner: false });
const node = (name: string, ready = true): NodeInfo => ({ name, ready, roles: [], version: 'v1.31.4+k3s1' });

describe('cluster: status', () => {
  it('counts how many more voters may fail; learners do not count', () => {
    expect(
      etcdQuorum([
        { learner: false, healthy: true },
        { learner: false, healthy: true },
        { learner: false, healthy: true },
      ]),
    ).to.deep.equal({ voters: 3, healthyVoters: 3, quorum: 2, canLose: 1, quorumLost: false });
    expect(
      etcdQuorum([
        { learner: false, healthy: false },
        { learner: false, healthy: true },
        { learner: false, healthy: true },
      ]),
    ).to.include({ canLose: 0, quorumLost: false });
    expect(
      etcdQuorum([
        { learner: false, healthy: false },
        { learner: false, healthy: false },
        { learner: false, healthy: true },
      ]),
    ).to.include({ quorumLost: true });
    expect(
      etcdQuorum([
        { learner: false, healthy: true },
        { learner: true, healthy: true },
      ]),
    ).to.include({ voters: 1, quorum: 1, canLose: 0 });
  });

  it('says the danger in words', () => {
    const hosts = [...servers(3), host('a-4', { role: 'agent' })];
    const facts = new Map(hosts.map((h) => [h.name, hostFacts(h.name, h.role === 'server' ? { etcdData: true, runningServer: true } : {})]));
    facts.set('s-1', { ...hostFacts('s-1'), reachable: false, error: 'connect ECONNREFUSED' });
    const view = { from: 's-2', etcdHealthy: true, members: [member('1', 1), member('2', 2), member('3', 3), member('7', 7)], nodes: [node('s-1', false), node('s-2'), node('s-3')] };
    const status = assembleStatus({ cluster: 'lab', hosts, facts, view, healthyIds: new Set(['2', '3', '7']) });
    expect(status.etcd).to.include({ voters: 4, healthyVoters: 3, quorum: 3, canLose: 0, quorumLost: false });
    expect(status.notInCluster).to.deep.equal(['a-4']);
    expect(status.strangers.map((m) => m.id)).to.deep.equal(['7']);
    expect(status.hosts.find((h) => h.name === 's-1')).to.include({ reachable: false, inCluster: true, healthy: false });
    expect(dangerLine(status)).to.equal('1 more server failure loses quorum (3 of 4 voting members healthy, quorum 3)');
    const text = renderStatusHuman(status);
    expect(text).to.match(/^s-1\s+10\.0\.0\.1\s+NO\b/m);
    expect(text).to.include('etcd members not in the inventory: s-7-x https://10.0.0.7:2380');
    expect(text).to.include('In the inventory but not in the cluster: a-4');
    expect(status.quorumHolds).to.equal(true);
    expect(status.allHealthy).to.equal(false);
  });

  it('calls quorum lost when no server can list the members', () => {
    const hosts = servers(3);
    const facts = new Map(hosts.map((h) => [h.name, hostFacts(h.name, { etcdData: true })]));
    const status = assembleStatus({ cluster: 'lab', hosts, facts, view: { from: 's-3', etcdHealthy: false, membersError: 'context deadline exceeded' }, healthyIds: new Set() });
    expect(status.quorumHolds).to.equal(false);
    expect(dangerLine(status)).to.match(/^quorum LOST/);
  });

  it("parses each member's /health answer; a curl failure is unhealthy", () => {
    const out = 'health https://10.0.0.1:2379 0 {"health":"true","reason":""}\nhealth https://10.0.0.2:2379 7 curl: (7) Failed to connect\nhealth https://10.0.0.3:2379 0 {"health":"false"}\n';
    expect([...parseMemberHealth(out)]).to.deep.equal([
      ['https://10.0.0.1:2379', true],
      ['https://10.0.0.2:2379', false],
      ['https://10.0.0.3:2379', false],
    ]);
  });

  it('says that nothing answers when no host does, each host once with its reason, and calls none missing', () => {
    const hosts = servers(3);
    const facts = new Map(hosts.map((h) => [h.name, { ...hostFacts(h.name), reachable: false, error: h.name === 's-1' ? 's-1: connection refused' : 'timed out' }]));
    const status = assembleStatus({ cluster: 'lab', hosts, facts, view: undefined, healthyIds: new Set() });
    const text = renderStatusHuman(status);
    expect(text).to.include('Nothing answers: none of the 3 hosts could be reached over SSH.\n  s-1: connection refused\n  s-2: timed out\n  s-3: timed out\n');
    expect(text).not.to.include('In the inventory but not in the cluster');
    expect(text).not.to.include('No server is running');
    expect(text.match(/s-1/g)).to.have.length(2);
  });
});

describe('cluster: status with certificates', () => {
  it('shows each node’s earliest expiry and fails on an expired one', () => {
    const now = Date.parse('2026-12-04T10:00:00Z');
    const [a, b] = servers(2);
    const fa = hostFacts(a!.name, { runningServer: true });
    fa.k3s.certificates = { source: 'openssl', certificates: [{ file: 'client-admin.crt', subject: 'system:admin', ca: false, notAfter: '2026-12-24T10:00:00Z' }] };
    const fb = hostFacts(b!.name, { runningServer: true });
    fb.k3s.certificates = { source: 'k3s certificate check', certificates: [{ file: 'serving-kube-apiserver.crt', subject: 'kube-apiserver', ca: false, notAfter: '2026-12-03T10:00:00Z' }] };
    const status = assembleStatus({
      cluster: 'lab',
      hosts: [a!, b!],
      facts: new Map([
        [a!.name, fa],
        [b!.name, fb],
      ]),
      healthyIds: new Set(),
      certificates: { nowMs: now, kubeconfigs: [], inventoryFile: 'inv.yaml' },
    });
    expect(status.certificates.map((c) => [c.host, c.status])).to.deep.equal([
      [a!.name, 'warn'],
      [b!.name, 'fail'],
    ]);
    expect(status.certificatesStatus).to.equal('fail');
    const text = renderStatusHuman(status);
    expect(text).to.include('Certificates:');
    expect(text).to.include('expires 2026-12-24 (in 20 days)');
    expect(text).to.include('expired 2026-12-03 (1 day ago)');
  });
});
