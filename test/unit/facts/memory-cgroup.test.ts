import { expect } from 'chai';
import { memoryEnabledInProcCgroups, memoryInCgroupControllers, parseMemoryCgroup } from '../../../src/facts/memory-cgroup.js';
import { fixture } from '../../support/fact-fixtures.js';

describe('facts: memory cgroup', () => {
  it('reads the enabled column of /proc/cgroups', () => {
    expect(memoryEnabledInProcCgroups(fixture('proc-cgroups.v1-memory-enabled'))).to.equal(true);
    expect(memoryEnabledInProcCgroups(fixture('proc-cgroups.pi-memory-disabled'))).to.equal(false);
    expect(memoryEnabledInProcCgroups('#subsys_name\thierarchy\tnum_cgroups\tenabled\ncpu\t0\t1\t1\n')).to.equal(undefined);
  });

  it('reads the cgroup v2 controller list', () => {
    expect(memoryInCgroupControllers(fixture('cgroup-controllers.v2-with-memory'))).to.equal(true);
    expect(memoryInCgroupControllers(fixture('cgroup-controllers.pi-v2-without-memory'))).to.equal(false);
  });

  it('lets the v2 controller list decide on a cgroup v2 host', () => {
    // A v2 host's /proc/cgroups may still say enabled: the root's controllers are what K3s gets.
    const v2 = `cgroup2:${fixture('cgroup-controllers.pi-v2-without-memory')}`;
    expect(parseMemoryCgroup(v2 + fixture('proc-cgroups.v1-memory-enabled'))).to.equal(false);
    expect(parseMemoryCgroup(`cgroup2:${fixture('cgroup-controllers.v2-with-memory')}`)).to.equal(true);
  });

  it('falls back to /proc/cgroups on a cgroup v1 host, and to false on nothing', () => {
    expect(parseMemoryCgroup(fixture('proc-cgroups.v1-memory-enabled'))).to.equal(true);
    expect(parseMemoryCgroup(fixture('proc-cgroups.pi-memory-disabled'))).to.equal(false);
    expect(parseMemoryCgroup('')).to.equal(false);
  });
});
