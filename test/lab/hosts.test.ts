// The lab's hosts: isolated, reachable by real SSH with strict host keys, and looking like what
// they were asked to be (Raspberry Pi, memory cgroup off, slow SD card).
import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Lab } from './lab.js';
import { runCommand } from './run-command.js';
import { sshArgs } from './ssh-client.js';
import { downTestLab, upTestLab } from './support.js';

const FIO = 'sudo fio --rw=write --ioengine=sync --fdatasync=1 --directory=/var/lib/rancher --size=256k --bs=2300 --name=etcd-probe --output-format=json';

async function fdatasyncP99Ms(lab: Lab, host: string): Promise<number> {
  const report = JSON.parse(await lab.ssh(host, `${FIO} && sudo rm -f /var/lib/rancher/etcd-probe*`)) as {
    jobs: { sync: { lat_ns: { percentile: Record<string, number> } } }[];
  };
  return report.jobs[0]!.sync.lat_ns.percentile['99.000000']! / 1e6;
}

describe('lab hosts', function () {
  this.timeout(120000);
  let lab: Lab;

  before(async () => {
    lab = await upTestLab({ hosts: 4, pi: ['h2'], noMemcg: ['h2', 'h4'], slowDisk: { h3: 25 } });
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('lists every host in hosts.json, known_hosts and inventory.yaml', () => {
    const hosts = JSON.parse(readFileSync(join(lab.dir, 'hosts.json'), 'utf8')) as { name: string; address: string; pi: boolean; slowDiskMs: number }[];
    const net = lab.network;
    expect(hosts.map((h) => `${h.name}@${h.address}`)).to.deep.equal([`h1@${net}.1`, `h2@${net}.2`, `h3@${net}.3`, `h4@${net}.4`]);
    expect(hosts[1]!.pi).to.equal(true);
    expect(hosts[2]!.slowDiskMs).to.equal(25);
    const knownHosts = readFileSync(join(lab.dir, 'known_hosts'), 'utf8').trim().split('\n');
    expect(knownHosts.map((line) => line.split(' ').slice(0, 2).join(' '))).to.deep.equal(hosts.map((h) => `${h.address} ssh-ed25519`));
    const inventory = readFileSync(join(lab.dir, 'inventory.yaml'), 'utf8');
    expect(inventory).to.include(`- name: h3\n    address: ${net}.3\n    role: server\n    kind: x86\n    disk: sd\n`);
    expect(inventory).to.include(`- name: h2\n    address: ${net}.2\n    role: server\n    kind: pi\n    disk: ssd\n`);
    expect(inventory).to.include(`- name: h4\n    address: ${net}.4\n    role: agent\n`);
    expect(inventory).to.include('script: ').and.include('standin/install.sh');
  });

  it('gives each host its own hostname, /var/lib/rancher and process table', async () => {
    await lab.ssh('h1', 'echo one | sudo tee /var/lib/rancher/mark > /dev/null');
    const h1 = await lab.ssh('h1', 'hostname; cat /var/lib/rancher/mark; ps -e -o pid=,args=');
    const h2 = await lab.ssh('h2', 'hostname; cat /var/lib/rancher/mark 2>&1 || true; ps -e -o pid=,comm=');
    expect(h1.split('\n')[0]).to.equal('h1');
    expect(h1.split('\n')[1]).to.equal('one');
    expect(h2.split('\n')[0]).to.equal('h2');
    expect(h2).to.include('No such file');
    // PID 1 is the host's own init, and only its few processes show, not the machine's.
    expect(h1).to.match(/^\s*1 \/bin\/bash \S+\/host\/init\.sh$/m);
    expect(h1.split('\n').length).to.be.below(15);
    expect(h1.match(/\[listener\]/g)).to.have.length(1);
  });

  it('accepts SSH only with the lab known_hosts, and gives passwordless sudo and root logins', async () => {
    const emptyKnownHosts = join(lab.dir, 'empty_known_hosts');
    writeFileSync(emptyKnownHosts, '');
    const host = lab.hosts[0]!;
    const refused = await runCommand('ssh', [...sshArgs({ ...host, knownHostsFile: emptyKnownHosts }), `fleet@${host.address}`, 'true']);
    expect(refused.code).to.equal(255);
    expect(refused.stderr).to.match(/Host key verification failed/);
    expect((await lab.ssh('h1', 'sudo -n id -un')).trim()).to.equal('root');
    expect((await lab.ssh('h1', 'id -un', { user: 'root' })).trim()).to.equal('root');
  });

  it('makes a --pi host look like a Raspberry Pi and an x86 host not', async () => {
    const pi = await lab.ssh('h2', 'uname -m; /usr/bin/uname -m; tr -d "\\0" < /sys/firmware/devicetree/base/model; echo; ls /boot/firmware/cmdline.txt');
    expect(pi.split('\n').slice(0, 4)).to.deep.equal(['aarch64', 'aarch64', 'Raspberry Pi 4 Model B Rev 1.4', '/boot/firmware/cmdline.txt']);
    const x86 = await lab.ssh('h1', 'uname -m; ls /sys/firmware/devicetree 2>&1 || true');
    expect(x86).to.match(/^x86_64\n.*No such file/);
  });

  it('turns the memory cgroup off on --no-memcg hosts only', async () => {
    const memoryRow = async (host: string) => (await lab.ssh(host, 'grep ^memory /proc/cgroups')).trim().split(/\s+/);
    expect((await memoryRow('h2'))[3]).to.equal('0');
    expect((await memoryRow('h4'))[3]).to.equal('0');
    expect((await memoryRow('h1'))[3]).to.equal('1');
    const controllers = await lab.ssh('h4', 'cat /sys/fs/cgroup/cgroup.controllers 2>/dev/null || true');
    expect(controllers.split(/\s+/)).not.to.include('memory');
  });

  it('turns the memory cgroup on for a Pi whose cmdline.txt asks for it, after a reboot', async () => {
    expect(await lab.ssh('h2', 'cat /boot/firmware/cmdline.txt')).not.to.include('cgroup_enable=memory');
    await lab.ssh('h2', `sudo sed -i '1s/$/ cgroup_memory=1 cgroup_enable=memory/' /boot/firmware/cmdline.txt`);
    await lab.reboot('h2');
    expect((await lab.ssh('h2', 'grep ^memory /proc/cgroups')).trim().split(/\s+/)[3]).to.equal('1');
  });

  it('makes fdatasync on a --slow-disk host as slow as asked, and fast elsewhere', async () => {
    expect(await fdatasyncP99Ms(lab, 'h3')).to.be.at.least(25);
    expect(await fdatasyncP99Ms(lab, 'h1')).to.be.below(10);
  });

  it('crash kills every process of a host but keeps its disk; start boots it again', async () => {
    await lab.ssh('h3', 'echo kept | sudo tee /var/lib/rancher/kept > /dev/null; sudo sh -c "sleep 600 > /dev/null 2>&1 &"');
    const initPid = Number(readFileSync(join(lab.dir, 'hosts', 'h3', 'init.pid'), 'utf8'));
    await lab.crash('h3');
    expect(await lab.sshExec('h3', 'true', { timeoutMs: 15000 })).to.have.property('code', 255);
    expect((await lab.status()).find((h) => h.name === 'h3')).to.include({ up: false, k3s: 'stopped' });
    expect(() => process.kill(initPid, 0)).to.throw();
    await lab.start('h3');
    const after = await lab.ssh('h3', 'cat /var/lib/rancher/kept; pgrep -c sleep || true; mount | grep -c " /var/lib/rancher type fuse"');
    expect(after.split('\n').slice(0, 3)).to.deep.equal(['kept', '1', '1']);
  });

  it('up again is quick and leaves running hosts alone', async () => {
    const pids = () => lab.hosts.map((h) => readFileSync(join(lab.dir, 'hosts', h.name, 'init.pid'), 'utf8'));
    const before = pids();
    const started = Date.now();
    await Lab.up({ hosts: 4, pi: ['h2'], noMemcg: ['h2', 'h4'], slowDisk: { h3: 25 }, dir: lab.dir, network: lab.network });
    expect(Date.now() - started).to.be.below(5000);
    expect(pids()).to.deep.equal(before);
  });

  it('up with other looks for a running host reboots it with them', async () => {
    await Lab.up({ hosts: 4, pi: ['h2', 'h1'], noMemcg: ['h2', 'h4'], slowDisk: { h3: 25 }, dir: lab.dir, network: lab.network });
    expect((await lab.ssh('h1', 'uname -m')).trim()).to.equal('aarch64');
    expect(JSON.parse(readFileSync(join(lab.dir, 'hosts.json'), 'utf8'))[0].pi).to.equal(true);
  });
});
