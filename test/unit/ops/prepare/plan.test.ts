import { expect } from 'chai';
import { SafetyError } from '../../../../src/errors.js';
import type { HostFacts } from '../../../../src/facts/types.js';
import { missingCgroupParams, withCgroupParams } from '../../../../src/ops/prepare/cmdline.js';
import { planPrepare } from '../../../../src/ops/prepare/plan.js';
import { fleetFacts, host, hostFacts, inventory } from '../../support/plan-inputs.js';

const PI_LINE = 'console=serial0,115200 console=tty1 root=PARTUUID=6c586e13-02 rootfstype=ext4 fsck.repair=yes rootwait';

function pi(name: string, extra: Partial<HostFacts> = {}): HostFacts {
  return { ...hostFacts(name), piModel: 'Raspberry Pi 4 Model B Rev 1.4', cmdlinePath: '/boot/firmware/cmdline.txt', memoryCgroup: false, ...extra };
}

describe('prepare: cmdline.txt', () => {
  it('appends only the missing memory cgroup parameters to the single line, keeping the rest', () => {
    expect(withCgroupParams(`${PI_LINE}\n`)).to.equal(`${PI_LINE} cgroup_memory=1 cgroup_enable=memory\n`);
    expect(withCgroupParams(`${PI_LINE} cgroup_enable=memory\n`)).to.equal(`${PI_LINE} cgroup_enable=memory cgroup_memory=1\n`);
    expect(missingCgroupParams(`${PI_LINE} cgroup_memory=1 cgroup_enable=memory`)).to.deep.equal([]);
  });

  it('is idempotent, and does not mistake a longer parameter for the one needed', () => {
    const once = withCgroupParams(`${PI_LINE}\n`);
    expect(withCgroupParams(once)).to.equal(once);
    expect(missingCgroupParams(`${PI_LINE} cgroup_memory=10`)).to.deep.equal(['cgroup_memory=1', 'cgroup_enable=memory']);
  });
});

describe('prepare: the plan', () => {
  it('fixes and reboots Pis without the memory cgroup, and nothing else', () => {
    const inv = inventory([host('s-1', { role: 'server' }), host('p-1', { role: 'agent' }), host('p-2', { role: 'agent' }), host('x-1', { role: 'agent' })]);
    const plan = planPrepare(inv, fleetFacts(hostFacts('s-1'), pi('p-1'), pi('p-2', { memoryCgroup: true }), hostFacts('x-1')));
    expect(plan.hosts.map((h) => [h.name, h.action, h.reason])).to.deep.equal([
      ['s-1', 'nothing', 'not a Raspberry Pi'],
      ['p-1', 'fix-and-reboot', 'memory cgroup disabled (Raspberry Pi 4 Model B Rev 1.4)'],
      ['p-2', 'nothing', 'memory cgroup enabled'],
      ['x-1', 'nothing', 'not a Raspberry Pi'],
    ]);
    expect(plan.rebootTogether).to.deep.equal(['p-1']);
    expect(plan.rebootOneByOne).to.deep.equal([]);
  });

  it('reboots running servers one at a time, and refuses when the cluster cannot spare one', () => {
    const running = (name: string) => pi(name, { k3s: { installed: true, running: true, role: 'server', etcdData: true, sqliteData: false } });
    const three = inventory([host('s-1', { role: 'server' }), host('s-2', { role: 'server' }), host('s-3', { role: 'server' })]);
    const plan = planPrepare(three, fleetFacts(running('s-1'), running('s-2'), { ...running('s-3'), memoryCgroup: true }));
    expect(plan.rebootOneByOne).to.deep.equal(['s-1', 's-2']);
    expect(plan.rebootTogether).to.deep.equal([]);
    const one = inventory([host('s-1', { role: 'server' })]);
    expect(() => planPrepare(one, fleetFacts(running('s-1')))).to.throw(SafetyError, 'would stop the cluster');
  });
});
