// doctor's judging from data: each fault makes its own check fail or warn, naming the host, and
// nothing else; a clean fleet is all ok (exit 0).
import { expect } from 'chai';
import type { HostFacts } from '../../../../src/facts/types.js';
import { judge } from '../../../../src/ops/doctor/plan.js';
import { doctorServers } from '../../../../src/ops/doctor/operation.js';
import { duplicateHostnameMessage, duplicateHostnameWarnings } from '../../../../src/rules/node-name.js';
import { fleetFacts, host, hostFacts, inventory } from '../../support/plan-inputs.js';

const NOW = Date.UTC(2026, 11, 4);

function healthy(name: string, i: number): HostFacts {
  return {
    ...hostFacts(name, { p99Ms: 3 }),
    hostname: name,
    machineId: `${i}`.repeat(32).slice(0, 32),
    hostKeyFingerprint: `SHA256:key${i}`,
    interfaces: [{ name: 'eth0', mac: `02:00:00:00:00:0${i}`, virtual: false, addresses: [`10.0.0.${i}`] }],
    clockOffsetMs: 20 * i,
    hostClockMs: NOW,
    clockSync: { source: 'timedatectl', synchronized: true },
    dataDirFreeBytes: 50 * 1024 ** 3,
    dataDirInodes: { total: 1000, free: 900 },
  };
}

const inv = inventory([host('h1', { role: 'server' }), host('h2', { role: 'server' }), host('h3', { role: 'server' }), host('h4', { role: 'agent' })]);
const servers = ['h1', 'h2', 'h3'];

function run(change: (facts: HostFacts[]) => void = () => undefined) {
  const facts = ['h1', 'h2', 'h3', 'h4'].map((n, i) => healthy(n, i + 1));
  change(facts);
  return judge({ inventory: inv, facts: fleetFacts(...facts), servers });
}

const notOk = (report: ReturnType<typeof run>) => report.checks.filter((c) => c.status !== 'ok').map((c) => `${c.check} ${c.host}${c.peer ? `→${c.peer}` : ''} ${c.status}`);

describe('doctor: judging the gathered facts', () => {
  it('a clean fleet is all ok, exit 0, with every section present', () => {
    const report = run();
    expect(notOk(report)).to.deep.equal([]);
    expect(report.exitCode).to.equal(0);
    expect(new Set(report.checks.map((c) => c.section))).to.deep.equal(new Set(['hosts', 'identity', 'clock', 'disk']));
    expect(report.checks.filter((c) => c.check === 'disk.fsync').map((c) => c.host)).to.deep.equal(servers);
  });

  it('cloned hosts: the same machine-id and host key fail on both, naming the other', () => {
    const report = run((f) => {
      f[1]!.machineId = f[0]!.machineId;
      f[1]!.hostKeyFingerprint = f[0]!.hostKeyFingerprint;
    });
    expect(notOk(report)).to.deep.equal(['identity.machine-id h1 fail', 'identity.machine-id h2 fail', 'identity.host-key h1 fail', 'identity.host-key h2 fail']);
    expect(report.checks.find((c) => c.check === 'identity.machine-id' && c.host === 'h2')!.message).to.include('same machine-id as h1');
    expect(report.exitCode).to.equal(3);
  });

  it('a shared MAC fails; a host reached over loopback has no MAC compared', () => {
    expect(notOk(run((f) => (f[3]!.interfaces = [{ ...f[3]!.interfaces![0]!, mac: '02:00:00:00:00:01' }])))).to.deep.equal(['identity.mac h1 fail', 'identity.mac h4 fail']);
    const lab = inventory([host('h1', { address: '127.0.1.1' }), host('h2', { address: '127.0.1.2' })]);
    const facts = [healthy('h1', 1), healthy('h2', 2)].map((f) => ({ ...f, interfaces: [{ name: 'eth0', mac: '02:fc:00:00:00:01', virtual: false, addresses: ['192.0.2.2'] }] }));
    expect(judge({ inventory: lab, facts: fleetFacts(...facts), servers: [] }).checks.filter((c) => c.check === 'identity.mac')).to.deep.equal([]);
  });

  it('a shared hostname warns with the message up warns', () => {
    const report = run((f) => f.forEach((x) => (x.hostname = 'raspberrypi')));
    expect(notOk(report)).to.deep.equal(['identity.hostname h1 warn', 'identity.hostname h2 warn', 'identity.hostname h3 warn', 'identity.hostname h4 warn']);
    const group = { hostname: 'raspberrypi', hosts: ['h1', 'h2', 'h3', 'h4'] };
    expect(report.checks.find((c) => c.check === 'identity.hostname')!.message).to.equal(duplicateHostnameMessage(group));
    const facts = fleetFacts(...['h1', 'h2', 'h3', 'h4'].map((n, i) => ({ ...healthy(n, i + 1), hostname: 'raspberrypi' })));
    expect(duplicateHostnameWarnings(inv.hosts, facts)[0]!.message).to.equal(duplicateHostnameMessage(group));
    expect(report.exitCode).to.equal(1);
  });

  it('clocks: over 1 s warns, over 30 s fails, before 1980 fails; the server spread names the pair', () => {
    expect(notOk(run((f) => (f[3]!.clockOffsetMs = 5_000)))).to.deep.equal(['clock.offset h4 warn']);
    expect(notOk(run((f) => (f[1]!.clockOffsetMs = -40_000)))).to.deep.equal(['clock.offset h2 fail', 'clock.spread h3→h2 fail']);
    expect(notOk(run((f) => (f[0]!.clockOffsetMs = 1_500)))).to.deep.equal(['clock.offset h1 warn', 'clock.spread h1→h2 warn']);
    const before1980 = run((f) => (f[3]!.hostClockMs = Date.UTC(1970, 0, 1, 0, 5)));
    expect(notOk(before1980)).to.deep.equal(['clock.offset h4 fail']);
    expect(before1980.checks.find((c) => c.check === 'clock.offset' && c.host === 'h4')!.value).to.equal('1970-01-01T00:05:00.000Z');
  });

  it('a clock not synchronised, or no time service, warns', () => {
    expect(notOk(run((f) => (f[2]!.clockSync = { source: 'timedatectl', synchronized: false })))).to.deep.equal(['clock.synchronized h3 warn']);
    expect(notOk(run((f) => delete f[2]!.clockSync))).to.deep.equal(['clock.synchronized h3 warn']);
  });

  it('disks: a server over the gate fails with the figure; space and inodes warn, then fail', () => {
    const slow = run((f) => (f[1]!.disk = { ...f[1]!.disk!, p99Ms: 42 }));
    expect(notOk(slow)).to.deep.equal(['disk.fsync h2 fail']);
    expect(slow.checks.find((c) => c.check === 'disk.fsync' && c.host === 'h2')!.message)
      .to.include('p99 42 ms')
      .and.include('10 ms');
    expect(
      notOk(
        run((f) => {
          f[0]!.diskError = 'no fio';
          delete f[0]!.disk;
        }),
      ),
    ).to.deep.equal(['disk.fsync h1 warn']);
    expect(notOk(run((f) => (f[3]!.dataDirFreeBytes = 1024 ** 3)))).to.deep.equal(['disk.space h4 warn']);
    expect(notOk(run((f) => (f[3]!.dataDirFreeBytes = 100 * 1024 ** 2)))).to.deep.equal(['disk.space h4 fail']);
    expect(notOk(run((f) => (f[3]!.dataDirInodes = { total: 1000, free: 50 })))).to.deep.equal(['disk.inodes h4 warn']);
    expect(notOk(run((f) => (f[3]!.dataDirInodes = { total: 1000, free: 10 })))).to.deep.equal(['disk.inodes h4 fail']);
  });

  it('a host down is one failure and the rest are checked', () => {
    const report = run((f) => (f[2] = { ...hostFacts('h3'), reachable: false, error: 'connect ETIMEDOUT' }));
    expect(notOk(report)).to.deep.equal(['host.reachable h3 fail']);
    expect(report.checks.filter((c) => c.host === 'h1').length).to.be.above(5);
  });

  it("servers are up's choice; an inventory up would refuse still has its servers judged", () => {
    const facts = fleetFacts(...['h1', 'h2', 'h3', 'h4'].map((n, i) => healthy(n, i + 1)));
    expect(doctorServers(inv, facts)).to.deep.equal(['h1', 'h2', 'h3']);
    const even = inventory([host('h1', { role: 'server' }), host('h2', { role: 'server' })]);
    expect(doctorServers(even, facts)).to.deep.equal(['h1', 'h2']);
  });
});
