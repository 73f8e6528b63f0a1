// A lab host restarts for real when it reboots itself (`reboot`, `shutdown -r`): its processes end,
// it comes back with a new boot id, and a Pi's memory cgroup then follows its cmdline.txt.
import { expect } from 'chai';
import type { Lab } from './lab.js';
import { downTestLab, eventually, upTestLab } from './support.js';

describe('lab: reboot on a host', function () {
  this.timeout(180000);
  let lab: Lab;
  const bootId = async (host: string) => (await lab.ssh(host, 'cat /proc/sys/kernel/random/boot_id')).trim();
  const memoryEnabled = async (host: string) => (await lab.ssh(host, 'awk \'$1 == "memory" { print $4 }\' /proc/cgroups')).trim() === '1';
  const rebootedFrom = (host: string, before: string) =>
    eventually(`${host} back with a new boot id`, 60000, async () => {
      const now = await bootId(host);
      return now !== before ? now : undefined;
    });

  before(async () => {
    lab = await upTestLab({ hosts: 2, pi: ['h1'], noMemcg: ['h1'] });
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('starts a --no-memcg Pi with a cmdline.txt lacking the cgroup parameters and no memory cgroup', async () => {
    expect(await lab.ssh('h1', 'cat /boot/firmware/cmdline.txt')).to.not.include('cgroup_enable=memory');
    expect(await memoryEnabled('h1')).to.equal(false);
    expect(await memoryEnabled('h2')).to.equal(true);
    expect(await bootId('h1')).to.match(/^[0-9a-f-]{36}$/);
    expect(await bootId('h1')).to.not.equal(await bootId('h2'));
  });

  it('refuses a reboot without root, as systemd does', async () => {
    const refused = await lab.sshExec('h1', '/usr/sbin/reboot');
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.include('Call to Reboot failed: Access denied');
  });

  it('reboots for real: processes end, a new boot id, the memory cgroup read from cmdline.txt; other hosts untouched', async () => {
    const before = await bootId('h1');
    const other = await bootId('h2');
    await lab.ssh('h1', 'sudo sed -i "1 s/$/ cgroup_memory=1 cgroup_enable=memory/" /boot/firmware/cmdline.txt');
    await lab.ssh('h1', 'nohup sleep 6001 > /dev/null 2>&1 &');
    const sleepers = async () => (await lab.ssh('h1', 'ps -eo args')).split('\n').filter((line) => line.trim() === 'sleep 6001').length;
    expect(await sleepers()).to.equal(1);
    await lab.sshExec('h1', 'sudo reboot', { timeoutMs: 15000 });
    await rebootedFrom('h1', before);
    expect(await memoryEnabled('h1')).to.equal(true);
    expect(await sleepers()).to.equal(0);
    expect(await bootId('h2')).to.equal(other);
  });

  it('reboots with shutdown -r now too', async () => {
    const before = await bootId('h1');
    await lab.sshExec('h1', 'sudo shutdown -r now', { timeoutMs: 15000 });
    await rebootedFrom('h1', before);
    expect((await lab.status()).find((h) => h.name === 'h1')?.up).to.equal(true);
  });
});
