import { expect } from 'chai';
import type { EtcdMember } from '../../../src/facts/etcd-members.js';
import type { ClusterView } from '../../../src/facts/cluster-view.js';
import type { ExecOptions, Transport } from '../../../src/ssh/transport.js';
import { ensureMemberGone } from '../../../src/actions/remove-member.js';
import { parseLeftovers } from '../../../src/actions/uninstall-k3s.js';

const member = (n: number): EtcdMember => ({ id: `${n}00`, name: `h${n}-ab`, peerURLs: [`http://10.0.0.${n}:2380`], clientURLs: [`http://10.0.0.${n}:2379`], isLearner: false });
const view = (members: EtcdMember[], etcdHealthy = true): ClusterView => ({ from: 'h1', members, nodes: [], etcdHealthy });

/** A server that answers the health and remove playbooks; records what ran. */
function server(healthy: string[]): Transport & { removed: string[] } {
  const removed: string[] = [];
  return {
    host: 'h1',
    removed,
    async exec(_command: string, options: ExecOptions = {}) {
      if (options.env?.['FLEET_MEMBER_ID']) removed.push(options.env['FLEET_MEMBER_ID']);
      const stdout = (options.env?.['FLEET_CLIENT_URLS'] ?? '')
        .split(' ')
        .filter(Boolean)
        .map((url) => `health ${url} 0 {"health":"${healthy.some((h) => url.includes(`10.0.0.${h}:`))}"}`)
        .join('\n');
      return { stdout, stderr: '', exitCode: 0, timedOut: false, durationMs: 1 };
    },
    async writeFile() {},
    async upload() {},
    async close() {},
  };
}

describe("steps: the removed server's etcd member is gone", () => {
  const ref = { id: '300', name: 'h3-ab', peerURL: 'http://10.0.0.3:2380' };
  let clock = 0;
  const timing = { sleep: async (ms: number) => void (clock += ms), now: () => clock, waitMs: 5000, pollMs: 1000 };

  it('K3s removed it with the node: nothing more to do', async () => {
    const views = [view([member(1), member(2), member(3)]), view([member(1), member(2)])];
    const transport = server(['1', '2']);
    const result = await ensureMemberGone(transport, ref, { ...timing, read: async () => views.shift() ?? view([member(1), member(2)]) });
    expect(result.changed).to.equal('etcd member h3-ab (ID 300) removed by K3s with the node');
    expect(transport.removed).to.deep.equal([]);
  });

  it('still listed after the wait: removed explicitly, after the quorum check', async () => {
    const members = [member(1), member(2), member(3), member(4), member(5)];
    const transport = server(['1', '2', '4', '5']);
    const read = async () => view(transport.removed.length > 0 ? members.filter((m) => m.id !== '300') : members);
    const result = await ensureMemberGone(transport, ref, { ...timing, read });
    expect(result.changed).to.equal('etcd member h3-ab (ID 300) was still listed: removed explicitly');
    expect(transport.removed).to.deep.equal(['300']);
  });

  it('refuses the explicit removal when the others would not hold quorum, and fails on an unhealthy etcd', async () => {
    const members = [member(1), member(2), member(3)];
    await ensureMemberGone(server(['1']), ref, { ...timing, read: async () => view(members) }).then(
      () => expect.fail('should refuse'),
      (err: Error) => expect(err.message).to.match(/removing it would lose quorum: 2 voting members would remain, 1 healthy, quorum 2/),
    );
    await ensureMemberGone(server(['1', '2']), ref, { ...timing, read: async () => view([member(1), member(2)], false) }).then(
      () => expect.fail('should fail'),
      (err: Error) => expect(err.message).to.match(/etcd on h1 is not healthy/),
    );
  });
});

describe('steps: K3s leftovers', () => {
  it("parses the playbook's lines", () => {
    expect(parseLeftovers('left process 12 python3 -S /usr/local/bin/k3s server\nleft data /var/lib/rancher/k3s\nnoise\n')).to.deep.equal([
      'process 12 python3 -S /usr/local/bin/k3s server',
      'data /var/lib/rancher/k3s',
    ]);
    expect(parseLeftovers('')).to.deep.equal([]);
  });
});
