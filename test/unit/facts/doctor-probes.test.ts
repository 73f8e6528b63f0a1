// The probes doctor added to the facts script, on real output.
import { expect } from 'chai';
import { parseClockSync } from '../../../src/facts/clock-sync.js';
import { parseDfInodes } from '../../../src/facts/data-dir-inodes.js';
import { parseMachineId } from '../../../src/facts/machine-id.js';
import { parseNetInterfaces } from '../../../src/facts/net-interfaces.js';

describe('facts: machine-id, clock sync, interfaces, inodes', () => {
  it('reads a machine-id and refuses what is not one', () => {
    expect(parseMachineId('86beeabfde56f8b6ae71f2f12f68d55c\n')).to.equal('86beeabfde56f8b6ae71f2f12f68d55c');
    expect(parseMachineId('uninitialized\n')).to.equal(undefined);
    expect(parseMachineId('')).to.equal(undefined);
  });

  it('takes the first time service that answered', () => {
    expect(parseClockSync('timedatectl=yes\n')).to.deep.equal({ source: 'timedatectl', synchronized: true });
    expect(parseClockSync('timedatectl=no\n')).to.deep.equal({ source: 'timedatectl', synchronized: false });
    expect(parseClockSync('chronyc=Normal\n')).to.deep.equal({ source: 'chronyc', synchronized: true });
    expect(parseClockSync('chronyc=Not synchronised\n')).to.deep.equal({ source: 'chronyc', synchronized: false });
    expect(parseClockSync('timesyncd=no\n')).to.deep.equal({ source: 'timesyncd', synchronized: false });
    expect(parseClockSync('')).to.deep.equal({});
  });

  it('reads interfaces with their MACs, virtual flag and addresses', () => {
    const out = ['if eth0 02:FC:00:00:00:01 0', 'if lo 00:00:00:00:00:00 1', 'addr lo 127.0.0.1/8', 'addr eth0 192.0.2.2/24', 'addr eth0 fd00::2/64'].join('\n');
    expect(parseNetInterfaces(out)).to.deep.equal([
      { name: 'eth0', mac: '02:fc:00:00:00:01', virtual: false, addresses: ['192.0.2.2', 'fd00::2'] },
      { name: 'lo', mac: '00:00:00:00:00:00', virtual: true, addresses: ['127.0.0.1'] },
    ]);
  });

  it('reads df -P -i, and nothing from other output', () => {
    const out = 'Filesystem       Inodes  IUsed    IFree IUse% Mounted on\n/dev/vda       16777216 420080 16357136    3% /\n';
    expect(parseDfInodes(out)).to.deep.equal({ total: 16777216, free: 16357136 });
    expect(parseDfInodes('df: /x: No such file or directory\n')).to.equal(undefined);
  });
});
