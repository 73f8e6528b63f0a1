// What an upgrade touches, by hand on the lab: stand-ins of several versions, a node reporting the
// version it runs, cordon/uncordon/drain as kubectl prints them, a restart that really stops and
// starts k3s and its etcd member, and an agent newer than its server refused (version skew).
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { Lab } from './lab.js';
import { apiUrl, downTestLab, eventually, installK3s, journal, nodes, serverToken, upTestLab } from './support.js';
import { LAB_VERSIONS, versionBinary, versionsFile } from './versions.js';

const OLD = 'v1.31.4+k3s1';
const NEW = 'v1.32.1+k3s1';

describe('k3s stand-in: versions, cordon/drain and restarts for upgrades', function () {
  this.timeout(240_000);
  let lab: Lab;
  let token: string;
  const minor = (version: string) => Number(version.split('.')[1]);

  before(async () => {
    lab = await upTestLab({ hosts: 3 });
    await lab.ssh('h1', `sudo mkdir -p /etc/rancher/k3s && printf 'cluster-init: true\\n' | sudo tee /etc/rancher/k3s/config.yaml > /dev/null`);
    const server = await installK3s(lab, 'h1', { K3S_TOKEN: 'lab-secret', INSTALL_K3S_EXEC: 'server' }, versionBinary(lab.dir, OLD));
    expect(server.code, server.stderr).to.equal(0);
    token = await serverToken(lab, 'h1');
    const agent = await installK3s(lab, 'h2', { K3S_TOKEN: token, K3S_URL: apiUrl(lab, 'h1') }, versionBinary(lab.dir, OLD));
    expect(agent.code, agent.stderr).to.equal(0);
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('writes k3s-versions.json: three consecutive minors and one before v1.22.2, each binary its own version', async () => {
    const versions = JSON.parse(readFileSync(versionsFile(lab.dir), 'utf8')) as Record<string, { binary: string }>;
    expect(Object.keys(versions)).to.deep.equal([...LAB_VERSIONS]);
    const minors = Object.keys(versions)
      .map(minor)
      .sort((a, b) => a - b);
    expect(minors.some((m, i) => minors[i + 1] === m + 1 && minors[i + 2] === m + 2)).to.equal(true);
    expect(minors[0]).to.be.below(22);
    for (const [version, { binary }] of Object.entries(versions)) {
      await lab.upload('h3', binary, '/tmp/k3s-probe');
      expect((await lab.ssh('h3', '/tmp/k3s-probe --version')).split('\n')[0]).to.equal(`k3s version ${version} (standin)`);
    }
  });

  it('a node reports the version of the binary it runs (kubeletVersion)', async () => {
    const list = await eventually('2 Ready nodes', 30_000, async () => {
      const seen = await nodes(lab, 'h1');
      return seen.length === 2 && seen.every((n) => n.ready) ? seen : undefined;
    });
    expect(list.map((n) => n.version)).to.deep.equal([OLD, OLD]);
  });

  it('cordon, uncordon and drain set and clear spec.unschedulable and print what kubectl prints', async () => {
    const unschedulable = async () => {
      const list = JSON.parse(await lab.ssh('h1', 'sudo k3s kubectl get nodes -o json')) as { items: { metadata: { name: string }; spec: { unschedulable?: boolean } }[] };
      return Object.fromEntries(list.items.map((n) => [n.metadata.name, n.spec.unschedulable === true]));
    };
    expect(await lab.ssh('h1', 'sudo k3s kubectl cordon h2')).to.equal('node/h2 cordoned\n');
    expect(await unschedulable()).to.deep.equal({ h1: false, h2: true });
    // Heartbeats rewrite the node every 3 s; the cordon must survive them.
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect((await unschedulable()).h2).to.equal(true);
    expect(await lab.ssh('h1', 'sudo k3s kubectl cordon h2')).to.equal('node/h2 already cordoned\n');
    expect(await lab.ssh('h1', 'sudo k3s kubectl uncordon h2')).to.equal('node/h2 uncordoned\n');
    expect(await lab.ssh('h1', 'sudo k3s kubectl uncordon h2')).to.equal('node/h2 already uncordoned\n');
    expect(await lab.ssh('h1', 'sudo k3s kubectl drain h2 --ignore-daemonsets --delete-emptydir-data --timeout=60s')).to.equal('node/h2 cordoned\nnode/h2 drained\n');
    expect(await unschedulable()).to.deep.equal({ h1: false, h2: true });
    const table = await lab.ssh('h1', 'sudo k3s kubectl uncordon h2 && sudo k3s kubectl get nodes -o json');
    expect(table).to.not.include('"unschedulable"');
  });

  it('drain refuses unknown flags and bad durations as kubectl does; an unknown node is NotFound', async () => {
    const unknown = await lab.sshExec('h1', 'sudo k3s kubectl drain h2 --delete-local-data');
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr).to.equal("error: unknown flag: --delete-local-data\nSee 'kubectl drain --help' for usage.\n");
    const duration = await lab.sshExec('h1', 'sudo k3s kubectl drain h2 --timeout=soon');
    expect(duration.code).to.equal(1);
    expect(duration.stderr).to.include('invalid argument "soon" for "--timeout" flag');
    const missing = await lab.sshExec('h1', 'sudo k3s kubectl cordon nosuch');
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.equal('Error from server (NotFound): nodes "nosuch" not found\n');
    expect(await lab.ssh('h1', 'sudo k3s kubectl get nodes -o json')).to.not.include('"unschedulable"');
  });

  it('refuses to start an agent newer than its server, loudly, in the journal', async () => {
    const install = await installK3s(lab, 'h3', { K3S_TOKEN: token, K3S_URL: apiUrl(lab, 'h1') }, versionBinary(lab.dir, NEW));
    expect(install.code, install.stderr).to.equal(0);
    const refused = await eventually('the skew refusal in the journal', 30_000, async () => {
      const text = await journal(lab, 'h3', 'k3s-agent');
      return text.includes('level=fatal') ? text : undefined;
    });
    expect(refused).to.include(`kubelet version ${NEW} is newer than kube-apiserver version ${OLD}`);
    expect((await nodes(lab, 'h1')).map((n) => n.name).sort()).to.deep.equal(['h1', 'h2']);
    await lab.ssh('h3', 'sudo systemctl stop k3s-agent');
  });

  it('an upgrade is a real restart: k3s and its etcd stop and start, and the node then reports the new version', async () => {
    const etcdPid = async () => (await lab.ssh('h1', 'pgrep -x etcd || true')).trim();
    const before = await etcdPid();
    expect(before).to.match(/^\d+$/);
    // Air-gapped, the binary is in place before the script runs, so the script sees no change of
    // its own: like the real one, it restarts only when told to (INSTALL_K3S_FORCE_RESTART).
    const upgrade = await installK3s(lab, 'h1', { K3S_TOKEN: 'lab-secret', INSTALL_K3S_EXEC: 'server', INSTALL_K3S_FORCE_RESTART: 'true' }, versionBinary(lab.dir, NEW));
    expect(upgrade.code, upgrade.stderr).to.equal(0);
    const after = await etcdPid();
    expect(after).to.match(/^\d+$/).and.not.equal(before);
    const events = await lab.ssh('h1', 'cat /var/log/k3s-standin/events.log');
    expect(events).to.match(new RegExp(`^\\d+\\.\\d{3} stopped k3s ${OLD.replace(/\+/g, '\\+')}$`, 'm'));
    expect(events).to.match(new RegExp(`^\\d+\\.\\d{3} ready k3s ${NEW.replace(/\+/g, '\\+')}$`, 'm'));
    const h1 = await eventually('h1 on the new version', 30_000, async () => (await nodes(lab, 'h1')).find((n) => n.name === 'h1' && n.version === NEW && n.ready));
    expect(h1.version).to.equal(NEW);
    // Now the server runs the newer minor, the same agent is accepted (it retries on its own).
    await lab.ssh('h3', 'sudo systemctl start k3s-agent');
    const h3 = await eventually('h3 registered', 40_000, async () => (await nodes(lab, 'h1')).find((n) => n.name === 'h3' && n.ready));
    expect(h3.version).to.equal(NEW);
  });
});
