import { expect } from 'chai';
import type { HostFacts } from '../../../src/facts/types.js';
import type { HostSpec } from '../../../src/inventory/types.js';
import { preflight } from '../../../src/rules/preflight.js';

function host(overrides: Partial<HostSpec> = {}): HostSpec {
  return { name: 'pi-1', address: '10.0.0.11', role: 'server', init: false, ssh: { user: 'pi', port: 22, knownHostsFile: '/k' }, config: {}, labels: {}, index: 0, ...overrides };
}

function facts(overrides: Partial<HostFacts> = {}): HostFacts {
  return {
    host: 'pi-1',
    reachable: true,
    sudo: true,
    machine: 'aarch64',
    arch: 'arm64',
    os: { id: 'debian' },
    piModel: 'Raspberry Pi 4 Model B Rev 1.4',
    memoryCgroup: true,
    cmdlinePath: '/boot/firmware/cmdline.txt',
    memTotalBytes: 4e9,
    k3s: { installed: false, running: false, etcdData: false, sqliteData: false },
    dataDirFreeBytes: 20e9,
    clockOffsetMs: 20,
    ...overrides,
  };
}

describe('plan/preflight-rules', () => {
  it('passes a healthy Pi', () => {
    expect(preflight(host(), 'server', facts())).to.deep.equal({ host: 'pi-1', problems: [], warnings: [] });
  });

  it('refuses an unreachable host with the reason', () => {
    const result = preflight(host(), 'agent', facts({ reachable: false, error: 'connect ECONNREFUSED 10.0.0.11:22' }));
    expect(result.problems).to.have.length(1);
    expect(result.problems[0]).to.match(/unreachable: connect ECONNREFUSED/);
  });

  it('gives a Pi without the memory cgroup the exact cmdline.txt change and a reboot', () => {
    const result = preflight(host(), 'agent', facts({ memoryCgroup: false, cmdlinePath: '/boot/cmdline.txt' }));
    expect(result.problems[0]).to.include('cgroup_memory=1 cgroup_enable=memory').and.include('/boot/cmdline.txt').and.include('reboot');
  });

  it('names sudo failures and the way out', () => {
    const result = preflight(host(), 'server', facts({ sudo: false, sudoError: 'sudo: a password is required' }));
    expect(result.problems[0]).to.include('a password is required').and.include('NOPASSWD').and.include('--ask-become-pass');
  });

  it('refuses an unsupported architecture', () => {
    expect(preflight(host(), 'agent', facts({ machine: 'mips', arch: undefined })).problems[0]).to.match(/unsupported architecture mips/);
    // A Pi Zero / Pi 1 is named, with why: K3s's arm binary needs ARMv7.
    expect(preflight(host(), 'agent', facts({ machine: 'armv6l', arch: undefined })).problems[0]).to.include('armv6l (Raspberry Pi Zero / 1) is not supported: K3s needs ARMv7 or newer');
  });

  it('warns about a clock 1 s off, refuses a server 30 s off but only warns for an agent', () => {
    expect(preflight(host(), 'server', facts({ clockOffsetMs: 1500 })).warnings[0]).to.match(/1\.5 s off/);
    expect(preflight(host(), 'server', facts({ clockOffsetMs: -45_000 })).problems[0]).to.match(/-45\.0 s off.*NTP/);
    const agent = preflight(host(), 'agent', facts({ clockOffsetMs: -45_000 }));
    expect(agent.problems).to.deep.equal([]);
    expect(agent.warnings[0]).to.match(/-45\.0 s off/);
  });

  it('reports kind hints that contradict facts', () => {
    expect(preflight(host({ kind: 'pi' }), 'agent', facts({ piModel: undefined, machine: 'x86_64', arch: 'amd64' })).warnings[0]).to.match(/not a Raspberry Pi/);
    expect(preflight(host({ kind: 'x86' }), 'agent', facts()).warnings.join()).to.match(/kind: x86 but the host is a Raspberry Pi/);
  });

  it('refuses to change the role of an installed node in place', () => {
    const result = preflight(host(), 'server', facts({ k3s: { installed: true, role: 'agent', running: true, etcdData: false, sqliteData: false } }));
    expect(result.problems[0]).to.match(/installed here as an agent but the plan makes it a server/);
  });
});
