// `down` leaves nothing of a lab behind, however partly it is running; `up` recovers from a
// half-failed `up`.
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Lab } from './lab.js';
import { isAlive, mountsUnder } from './processes.js';
import { runCommand } from './run-command.js';
import { downTestLab, installK3s, upTestLab } from './support.js';

/** Every process in the PID namespace of each running host, as the machine numbers them. */
function processesOfHosts(lab: Lab): number[] {
  const namespaces = new Set(
    lab.hosts
      .map((host) => join(lab.dir, 'hosts', host.name, 'init.pid'))
      .filter((file) => existsSync(file))
      .map((file) => Number(readFileSync(file, 'utf8')))
      .filter((pid) => isAlive(pid))
      .map((pid) => readlinkSync(`/proc/${pid}/ns/pid`)),
  );
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        return namespaces.has(readlinkSync(`/proc/${pid}/ns/pid`));
      } catch {
        return false;
      }
    });
}

describe('lab down and up', function () {
  this.timeout(120000);
  let lab: Lab | undefined;

  after(async () => {
    await downTestLab(lab);
  });

  it('down removes every process, mount and file, with one host crashed and k3s and a slow disk running', async () => {
    lab = await upTestLab({ hosts: 3, slowDisk: { h2: 5 } });
    expect((await installK3s(lab, 'h2', { K3S_TOKEN: 'down-secret', INSTALL_K3S_EXEC: 'server --cluster-init' })).code).to.equal(0);
    await lab.crash('h3');
    const pids = processesOfHosts(lab);
    const names = pids.map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]);
    expect(names).to.include('/usr/bin/etcd').and.include('/usr/bin/python3');
    expect(pids.length).to.be.above(6);

    const dir = lab.dir;
    await downTestLab(lab);
    lab = undefined;
    expect(pids.filter((pid) => isAlive(pid))).to.deep.equal([]);
    const ps = await runCommand('ps', ['-eo', 'pid=,args=']);
    expect(ps.stdout.split('\n').filter((line) => line.includes(dir))).to.deep.equal([]);
    expect(mountsUnder(dir)).to.deep.equal([]);
    expect(existsSync(dir)).to.equal(false);
  });

  it('up completes a half-failed up, and down works on a lab whose hosts are all dead', async () => {
    lab = await upTestLab({ hosts: 3 });
    // As if the first up died part way: one host never booted, another lost its key files.
    await lab.crash('h2');
    rmSync(join(lab.dir, 'hosts', 'h3', 'sshd_config'));
    await lab.crash('h3');
    rmSync(join(lab.dir, 'known_hosts'));
    const again = await Lab.up({ hosts: 3, dir: lab.dir, network: lab.network });
    for (const host of ['h1', 'h2', 'h3']) expect((await again.ssh(host, 'hostname')).trim()).to.equal(host);
    for (const host of ['h1', 'h2', 'h3']) await again.crash(host);
    const dir = lab.dir;
    await downTestLab(lab);
    lab = undefined;
    expect(existsSync(dir)).to.equal(false);
  });
});
