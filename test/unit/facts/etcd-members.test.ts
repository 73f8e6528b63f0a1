import { expect } from 'chai';
import { memberAt, parseHealth, parseMemberList, urlHost } from '../../../src/facts/etcd-members.js';
import { voterQuorum } from '../../../src/rules/quorum.js';

// Shape of etcd 3.4's gateway answer to POST /v3/cluster/member/list (uint64 IDs are strings).
const memberList = JSON.stringify({
  header: { cluster_id: '14841639068965178418', member_id: '10276657743932975437', raft_term: '2' },
  members: [
    { ID: '10276657743932975437', name: 'pi-1-5c1b2f3a', peerURLs: ['https://192.168.1.11:2380'], clientURLs: ['https://192.168.1.11:2379'] },
    { ID: '2223', name: 'pi-2-0d9e8f7a', peerURLs: ['https://192.168.1.12:2380'], clientURLs: ['https://192.168.1.12:2379'] },
    { ID: '3334', peerURLs: ['https://[fd00::13]:2380'], isLearner: true },
  ],
});

describe('cluster/etcd-members', () => {
  it('parses members, learners and unstarted members', () => {
    const members = parseMemberList(memberList);
    expect(members.map((m) => m.isLearner)).to.deep.equal([false, false, true]);
    expect(members[2]!.name).to.equal('');
    expect(members[0]!.id).to.equal('10276657743932975437');
  });

  it('matches a member to a host by its peer URL address, IPv6 included', () => {
    const members = parseMemberList(memberList);
    expect(memberAt(members, '192.168.1.12')?.id).to.equal('2223');
    expect(memberAt(members, 'fd00::13')?.id).to.equal('3334');
    expect(memberAt(members, '192.168.1.1')).to.equal(undefined);
    expect(urlHost('not a url')).to.equal('');
  });

  it('counts only voters for quorum', () => {
    expect(voterQuorum(parseMemberList(memberList))).to.deep.equal({ voters: 2, quorum: 2, faultTolerance: 0 });
  });

  it('reports etcd errors instead of an empty list', () => {
    expect(() => parseMemberList('{"error":"etcdserver: request timed out","code":14}')).to.throw(/timed out/);
  });

  it('reads /health answers', () => {
    expect(parseHealth('{"health":"true"}')).to.equal(true);
    expect(parseHealth('{"health":"false","reason":"RAFT NO LEADER"}')).to.equal(false);
    expect(parseHealth('curl: (7) Failed to connect')).to.equal(false);
  });
});
