// The stand-in's `k3s server --cluster-reset[-restore-path]` checked by hand on a 3-server cluster,
// following K3s's HA restore procedure: stop all, reset one from a snapshot, start it, and each
// other server rejoins once its db is moved aside (refused while it still has the old data).
import { expect } from 'chai';
import type { Lab } from './lab.js';
import { standinBinary } from './paths.js';
import { apiUrl, downTestLab, etcdMembers, eventually, installK3s, journal, nodes, serverToken, upTestLab } from './support.js';

const DB = '/var/lib/rancher/k3s/server/db';

describe('k3s stand-in: cluster-reset from a snapshot, servers rejoining', function () {
  this.timeout(300000);
  let lab: Lab;
  let snapshot: string;
  let token: string;

  const value = async (key: string, host = 'h1'): Promise<string> => (await lab.etcdctl(['get', key, '--print-value-only'], { hosts: [host] })).stdout.trim();
  const stop = (host: string): Promise<string> => lab.ssh(host, 'sudo systemctl stop k3s');
  const reset = (host: string, path?: string): ReturnType<Lab['sshExec']> =>
    lab.sshExec(host, `sudo k3s server --cluster-reset${path ? ` --cluster-reset-restore-path=${path}` : ''}`, { timeoutMs: 120000 });

  before(async () => {
    lab = await upTestLab({ hosts: 4 });
    expect((await installK3s(lab, 'h1', { INSTALL_K3S_EXEC: 'server --cluster-init', K3S_TOKEN: 'lab-secret' })).code).to.equal(0);
    token = await serverToken(lab, 'h1');
    for (const host of ['h2', 'h3']) {
      const join = await installK3s(lab, host, { INSTALL_K3S_EXEC: `server --server ${apiUrl(lab, 'h1')}`, K3S_TOKEN: token });
      expect(join.code, join.stderr).to.equal(0);
    }
    expect(await etcdMembers(lab, ['h1'])).to.have.length(3);
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('restores a snapshot on one stopped server as a single member, moving the old data aside', async () => {
    expect((await lab.etcdctl(['put', 'marker-a', 'at-snapshot'])).code).to.equal(0);
    expect((await lab.sshExec('h1', 'sudo k3s etcd-snapshot save --name before')).code).to.equal(0);
    snapshot = `${DB}/snapshots/${(await lab.ssh('h1', `sudo ls ${DB}/snapshots`)).trim()}`;
    expect((await lab.etcdctl(['put', 'marker-b', 'after'])).code).to.equal(0);
    expect((await lab.etcdctl(['del', 'marker-a'])).code).to.equal(0);
    for (const host of ['h1', 'h2', 'h3']) await stop(host);
    // Kept outside db/, which the other servers will move aside.
    await lab.ssh('h1', `sudo cp ${snapshot} /root/restore.db`);

    const restored = await reset('h1', '/root/restore.db');
    expect(restored.code, restored.stderr).to.equal(0);
    expect(restored.stderr).to.include(`Etcd is running, restart without --cluster-reset flag now. Backup and delete /var/lib/rancher/k3s/server/db on each peer etcd server and rejoin the nodes`);
    expect(await lab.ssh('h1', `sudo ls ${DB}`))
      .to.match(/^etcd-old-\d+$/m)
      .and.match(/^reset-flag$/m);

    const again = await reset('h1', '/root/restore.db');
    expect(again.code).to.equal(1);
    expect(again.stderr).to.include(
      `level=fatal msg="Managed etcd cluster membership was previously reset, please remove the cluster-reset flag and start k3s normally. If you need to perform another cluster reset, you must first manually delete the ${DB}/reset-flag file"`,
    );

    await lab.ssh('h1', 'sudo systemctl start k3s');
    const members = await etcdMembers(lab, ['h1']);
    expect(members.map((m) => m.name.replace(/-[0-9a-f]{8}$/, ''))).to.deep.equal(['h1']);
    expect(await value('marker-a')).to.equal('at-snapshot');
    expect(await value('marker-b')).to.equal('');
    expect(await lab.ssh('h1', `sudo ls ${DB}`)).not.to.match(/^reset-flag$/m);
  });

  it('refuses a server that starts on its old data: the restored member keeps it out', async () => {
    await lab.ssh('h2', 'sudo systemctl start --no-block k3s');
    try {
      await eventually('the restored member to reject the old one', 30000, async () => {
        const log = await lab.ssh('h1', 'sudo cat /var/log/k3s-standin/etcd.log');
        return /cluster ID mismatch/.test(log) ? true : undefined;
      });
      await eventually('h2 to wait for a quorum', 30000, async () => ((await journal(lab, 'h2')).includes('Waiting for etcd to become available (quorum needed)') ? true : undefined));
      const sinceStart = (await journal(lab, 'h2')).split('etcd data found').pop()!;
      expect(sinceStart).not.to.include('is Ready');
      expect(await etcdMembers(lab, ['h1'])).to.have.length(1);
      expect(await value('marker-a')).to.equal('at-snapshot');
    } finally {
      await stop('h2');
    }
  });

  it('rejoins each other server once its db is moved aside, one at a time, all voters and Ready', async () => {
    for (const host of ['h2', 'h3']) {
      const started = await lab.sshExec(host, `sudo mv ${DB} ${DB}-old-test && sudo systemctl start k3s`);
      expect(started.code, await journal(lab, host)).to.equal(0);
      expect(await value('marker-a', host)).to.equal('at-snapshot');
    }
    const members = await etcdMembers(lab, ['h1', 'h2', 'h3']);
    expect(members).to.have.length(3);
    expect(members.every((m) => m.status === 'started' && !m.isLearner)).to.equal(true);
    await eventually('3 Ready servers', 30000, async () => {
      const list = await nodes(lab, 'h2');
      return list.length === 3 && list.every((n) => n.ready) ? true : undefined;
    });
    expect(await lab.ssh('h2', `sudo ls ${DB}-old-test/etcd`)).to.match(/^member$/m);
  });

  it('refuses a restore with another token, and a tampered snapshot', async () => {
    const copy = await lab.ssh('h1', 'sudo base64 -w0 /root/restore.db');
    await lab.ssh('h4', 'sudo mkdir -p /etc/rancher/k3s && printf "token: other-secret\\n" | sudo tee /etc/rancher/k3s/config.yaml >/dev/null');
    await lab.ssh('h4', 'base64 -d | sudo tee /root/restore.db >/dev/null', { input: Buffer.from(copy) });
    await lab.upload('h4', standinBinary(), '/usr/local/bin/k3s');
    const wrongToken = await reset('h4', '/root/restore.db');
    expect(wrongToken.code).to.equal(1);
    expect(wrongToken.stderr).to.include('bootstrap data already found and encrypted with different token');

    await lab.ssh('h4', `sudo rm -rf ${DB} && sudo sh -c 'printf x | dd of=/root/restore.db bs=1 seek=4096 conv=notrunc 2>/dev/null'`);
    await lab.ssh('h4', 'printf "token: lab-secret\\n" | sudo tee /etc/rancher/k3s/config.yaml >/dev/null');
    const tampered = await reset('h4', '/root/restore.db');
    expect(tampered.code, tampered.stderr).to.equal(1);
    expect(tampered.stderr, tampered.stderr).to.match(/level=fatal msg="etcd: failed to restore snapshot \/root\/restore.db: Error: expected sha256 \[[\d ]+\], got \[[\d ]+\]"/);
  });
});
