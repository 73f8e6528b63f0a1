// The stand-in's `k3s etcd-snapshot` checked by hand: files named and kept as K3s keeps them,
// taken from the real etcd with `etcdctl snapshot save`, listed, pruned and deleted.
import { expect } from 'chai';
import type { Lab } from './lab.js';
import { standinBinary } from './paths.js';
import { downTestLab, installK3s, upTestLab } from './support.js';

const DIR = '/var/lib/rancher/k3s/server/db/snapshots';

describe('k3s stand-in: etcd-snapshot save, ls, prune, delete', function () {
  this.timeout(180000);
  let lab: Lab;

  before(async () => {
    lab = await upTestLab({ hosts: 2 });
    const install = await installK3s(lab, 'h1', { INSTALL_K3S_EXEC: 'server --cluster-init', K3S_TOKEN: 'lab-secret' });
    expect(install.code, install.stderr).to.equal(0);
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('saves an on-demand snapshot of etcd as <name>-<node>-<unix time>, root-only, holding the keys', async () => {
    expect((await lab.etcdctl(['put', 'fleet-marker', 'kept'])).code).to.equal(0);
    const before = Math.floor(Date.now() / 1000);
    const save = await lab.sshExec('h1', 'sudo k3s etcd-snapshot save');
    expect(save.code, save.stderr).to.equal(0);
    expect(save.stderr).to.match(/level=info msg="Snapshot on-demand-h1-\d+ saved\."/);
    const files = (await lab.ssh('h1', `sudo ls ${DIR}`)).trim().split('\n');
    expect(files).to.have.length(1);
    const [, stamp] = /^on-demand-h1-(\d+)$/.exec(files[0]!) ?? [];
    expect(Number(stamp)).to.be.at.least(before - 1);
    expect((await lab.ssh('h1', `sudo stat -c '%a %U' ${DIR}/${files[0]} ${DIR}`)).trim().split('\n')).to.deep.equal(['600 root', '700 root']);
    // A real etcd snapshot: etcdctl reads it, and it holds the marker (restored into a scratch dir).
    const status = JSON.parse(await lab.ssh('h1', `sudo ETCDCTL_API=3 etcdctl snapshot status ${DIR}/${files[0]} -w json`)) as { totalKey: number };
    expect(status.totalKey).to.be.greaterThan(1);
    const dump = await lab.ssh(
      'h1',
      `cd /tmp && rm -rf scratch.etcd && sudo ETCDCTL_API=3 etcdctl snapshot restore ${DIR}/${files[0]} --data-dir /tmp/scratch.etcd >/dev/null 2>&1 && sudo grep -c -a fleet-marker /tmp/scratch.etcd/member/snap/db; sudo rm -rf /tmp/scratch.etcd`,
    );
    expect(Number(dump.trim())).to.be.greaterThan(0);
  });

  it("names a snapshot with --name, and lists them in K3s's table and as JSON", async () => {
    expect((await lab.sshExec('h1', 'sudo k3s etcd-snapshot save --name pre-upgrade')).code).to.equal(0);
    const table = (await lab.ssh('h1', 'sudo k3s etcd-snapshot ls')).trim().split('\n');
    expect(table[0]).to.match(/^Name\s+Location\s+Size\s+Created$/);
    expect(table).to.have.length(3);
    expect(table.some((row) => new RegExp(`^pre-upgrade-h1-\\d+\\s+file://${DIR}/pre-upgrade-h1-\\d+\\s+\\d+\\s+\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$`).test(row))).to.equal(true);
    const listed = JSON.parse(await lab.ssh('h1', 'sudo k3s etcd-snapshot list -o json')) as {
      items: { spec: { snapshotName: string; nodeName: string; location: string }; status: { size: string } }[];
    };
    expect(listed.items.map((item) => item.spec.nodeName)).to.deep.equal(['h1', 'h1']);
    const sizes = await lab.ssh('h1', `sudo sh -c "stat -c '%n %s' ${DIR}/*"`);
    for (const item of listed.items) expect(sizes).to.include(`${item.spec.location.replace('file://', '')} ${item.status.size}`);
  });

  it('prunes on-demand snapshots beyond the retention, and deletes by name', async () => {
    for (let i = 0; i < 3; i += 1) {
      expect((await lab.sshExec('h1', 'sudo k3s etcd-snapshot save')).code).to.equal(0);
      await new Promise((resolve) => setTimeout(resolve, 1100)); // names carry the second
    }
    const onDemand = async (): Promise<string[]> =>
      (await lab.ssh('h1', `sudo ls -tr ${DIR}`))
        .trim()
        .split('\n')
        .filter((n) => n.startsWith('on-demand-'));
    const all = await onDemand();
    expect(all.length).to.be.at.least(3);
    expect((await lab.sshExec('h1', 'sudo k3s etcd-snapshot prune --snapshot-retention 2')).code).to.equal(0);
    expect(await onDemand()).to.deep.equal(all.slice(-2));
    expect(await lab.ssh('h1', `sudo ls ${DIR}`)).to.match(/^pre-upgrade-h1-\d+$/m); // another name: not pruned
    const victim = all[all.length - 1]!;
    expect((await lab.sshExec('h1', `sudo k3s etcd-snapshot delete ${victim}`)).code).to.equal(0);
    expect(await onDemand()).to.deep.equal(all.slice(-2, -1));
    const missing = await lab.sshExec('h1', `sudo k3s etcd-snapshot delete ${victim}`);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.include(`level=fatal msg="snapshot ${victim} not found`);
  });

  it('fails like K3s without root, and where there is no etcd', async () => {
    const user = await lab.sshExec('h1', 'k3s etcd-snapshot save');
    expect(user.code).to.equal(1);
    expect(user.stderr).to.include('permission denied');
    await lab.upload('h2', standinBinary(), '/usr/local/bin/k3s');
    const none = await lab.sshExec('h2', 'sudo k3s etcd-snapshot save');
    expect(none.code).to.equal(1);
    expect(none.stderr).to.include('level=fatal msg="etcd database not found in /var/lib/rancher/k3s/server/db"');
  });
});
