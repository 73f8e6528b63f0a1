import { expect } from 'chai';
import { assembleHostFacts, unreachableHostFacts } from '../../../src/facts/host-facts.js';
import { tokenFingerprint } from '../../../src/facts/k3s-config.js';
import { fixture } from '../../support/fact-fixtures.js';

/** Script output as the facts script frames it. */
function framed(sections: Record<string, string>): string {
  return Object.entries(sections)
    .map(([name, text]) => `@@fleet:begin ${name}@@\n${text}\n@@fleet:end ${name} rc=0@@\n`)
    .join('');
}

const piServer = framed({
  'clock-start': '1795527100500000000\n',
  identity: '0\n',
  arch: 'aarch64\n',
  'os-release': fixture('os-release.raspios-bookworm-arm64'),
  'pi-model': fixture('device-tree-model.pi4'),
  'pi-cmdline': '/boot/firmware/cmdline.txt\n',
  'memory-cgroup': fixture('proc-cgroups.pi-memory-disabled'),
  meminfo: 'MemTotal:        3884096 kB\nMemFree:          123456 kB\n',
  'k3s-version': `binary=/usr/local/bin/k3s\n${fixture('k3s-version.v1.31.4')}`,
  'k3s-role': '/usr/local/bin/k3s-uninstall.sh\n/etc/systemd/system/k3s.service\n',
  'k3s-service': 'k3s active\nk3s-agent inactive\n',
  'k3s-datastore': 'etcd-member=yes\nstate-db=no\n',
  'k3s-config': fixture('k3s-config.server.yaml'),
  'data-dir-free': fixture('df-B1.var-lib'),
  'clock-end': '1795527101500000000\n',
});

describe('facts: assembling a host record', () => {
  it('assembles a Raspberry Pi running a K3s server', () => {
    const facts = assembleHostFacts({ host: 'pi-1', stdout: piServer, sentMs: 1795527100000, receivedMs: 1795527101000 });
    expect(facts).to.deep.include({
      host: 'pi-1',
      reachable: true,
      sudo: true,
      machine: 'aarch64',
      arch: 'arm64',
      os: { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
      piModel: 'Raspberry Pi 4 Model B Rev 1.4',
      cmdlinePath: '/boot/firmware/cmdline.txt',
      memoryCgroup: false,
      memTotalBytes: 3884096 * 1024,
      clockOffsetMs: 500,
    });
    expect(facts.k3s).to.deep.include({
      installed: true,
      version: 'v1.31.4+k3s1',
      role: 'server',
      running: true,
      etcdData: true,
      sqliteData: false,
      tokenHash: tokenFingerprint('K10a1b2c3d4e5f6::server:correct-horse-battery-staple'),
    });
    expect(facts.k3s.config).to.include({ 'cluster-init': true });
    expect(facts.dataDirFreeBytes).to.be.greaterThan(0);
    expect(facts.unreadable).to.equal(undefined);
    expect(JSON.stringify(facts)).not.to.include('correct-horse');
  });

  it('names the facts it could not read without root', () => {
    const stdout = framed({
      'clock-start': '1795527100500000000',
      identity: '1000',
      arch: 'x86_64',
      meminfo: 'MemTotal: 1024 kB',
      'k3s-datastore': 'etcd-member=unknown\nstate-db=unknown\n',
      'k3s-config': '# fleet: unreadable\n',
      'clock-end': '1795527101500000000',
    });
    const facts = assembleHostFacts({ host: 'x', stdout, sentMs: 0, receivedMs: 0, sudoError: 'sudo: a password is required' });
    expect(facts.sudo).to.equal(false);
    expect(facts.sudoError).to.equal('sudo: a password is required');
    expect(facts.unreadable).to.deep.equal(['k3s.config', 'k3s.etcdData', 'k3s.sqliteData']);
    expect(facts.k3s.etcdData).to.equal(false);
  });

  it('reads a whole real run of the facts script on Debian 12 (x86_64, no k3s)', () => {
    const facts = assembleHostFacts({
      host: 'debian',
      stdout: fixture('facts-output.debian-12-x86.txt'),
      sentMs: 0,
      receivedMs: 0,
    });
    expect(facts).to.deep.include({ reachable: true, sudo: true, machine: 'x86_64', arch: 'amd64', memoryCgroup: true });
    expect(facts.os.id).to.equal('debian');
    expect(facts.piModel).to.equal(undefined);
    expect(facts.k3s).to.deep.equal({ installed: false, running: false, etcdData: false, sqliteData: false });
  });

  it('calls output without the essential sections unreachable', () => {
    const facts = assembleHostFacts({ host: 'x', stdout: framed({ identity: '0' }), sentMs: 0, receivedMs: 0 });
    expect(facts.reachable).to.equal(false);
    expect(facts.error).to.match(/incomplete \(no arch, meminfo, clock-end section\)/);
  });

  it('describes an unreachable host with safe defaults', () => {
    const facts = unreachableHostFacts('gone', 'connect ETIMEDOUT');
    expect(facts).to.deep.include({ host: 'gone', reachable: false, error: 'connect ETIMEDOUT', sudo: false });
  });
});
