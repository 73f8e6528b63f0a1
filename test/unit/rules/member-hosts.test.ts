import { expect } from 'chai';
import type { EtcdMember } from '../../../src/facts/etcd-members.js';
import { checkMemberRemoval, matchMembers, staleMembers } from '../../../src/rules/member-hosts.js';
import { hostFacts } from '../support/plan-inputs.js';

const member = (id: string, address: string, extra: Partial<EtcdMember> = {}): EtcdMember => ({
  id,
  name: `n-${id}`,
  peerURLs: [`https://${address}:2380`],
  clientURLs: [`https://${address}:2379`],
  isLearner: false,
  ...extra,
});
const hosts = [
  { name: 's-1', address: '10.0.0.1' },
  { name: 's-2', address: '10.0.0.2' },
  { name: 's-3', address: '10.0.0.3' },
];

describe('cluster: etcd members and inventory hosts', () => {
  it('matches members to hosts by peer address; lists strangers and absent hosts', () => {
    const match = matchMembers([member('1', '10.0.0.1'), member('2', '10.0.0.2'), member('9', '10.0.0.9')], hosts);
    expect([...match.byHost].map(([h, m]) => [h, m.id])).to.deep.equal([
      ['s-1', '1'],
      ['s-2', '2'],
    ]);
    expect(match.strangers.map((m) => m.id)).to.deep.equal(['9']);
    expect(match.absent).to.deep.equal(['s-3']);
  });

  it('matches IPv6 peer URLs', () => {
    const match = matchMembers([member('1', '[fd00::1]')], [{ name: 'v6', address: 'fd00::1' }]);
    expect(match.byHost.get('v6')?.id).to.equal('1');
  });

  it('calls a member stale only when its host answered and holds no etcd data', () => {
    const members = [member('1', '10.0.0.1'), member('2', '10.0.0.2'), member('3', '10.0.0.3')];
    const facts = new Map([
      ['s-1', hostFacts('s-1')],
      ['s-2', hostFacts('s-2', { etcdData: true, runningServer: true })],
      ['s-3', { ...hostFacts('s-3'), reachable: false }],
    ]);
    expect(staleMembers(members, hosts, (n) => facts.get(n)).map((s) => [s.host, s.member.id])).to.deep.equal([['s-1', '1']]);
    facts.set('s-1', { ...hostFacts('s-1'), unreadable: ['k3s.etcdData'] });
    expect(staleMembers(members, hosts, (n) => facts.get(n))).to.deep.equal([]);
  });

  it('allows a removal only while the voters left keep quorum among the healthy', () => {
    const three = [member('1', '10.0.0.1'), member('2', '10.0.0.2'), member('3', '10.0.0.3')];
    expect(checkMemberRemoval(three, new Set(['2', '3']), '1')).to.deep.equal({ allowed: true, why: '2 voting members would remain, 2 healthy, quorum 2' });
    expect(checkMemberRemoval(three, new Set(['2']), '1').allowed).to.equal(false);
    const five = [...three, member('4', '10.0.0.4'), member('5', '10.0.0.5')];
    expect(checkMemberRemoval(five, new Set(['2', '3', '4']), '1').allowed).to.equal(true);
    expect(checkMemberRemoval(five, new Set(['2', '3']), '1').allowed).to.equal(false);
    expect(checkMemberRemoval([member('1', '10.0.0.1')], new Set(), '1').allowed).to.equal(false);
  });
});
