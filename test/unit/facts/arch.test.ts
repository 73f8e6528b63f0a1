import { expect } from 'chai';
import { archProbe, parseArch, unsupportedArchReason } from '../../../src/facts/arch.js';

describe('facts: arch (uname -m)', () => {
  it('maps machine types to the K3s binary arch', () => {
    expect(parseArch('x86_64\n')).to.deep.equal({ machine: 'x86_64', arch: 'amd64' });
    expect(parseArch('aarch64\n')).to.deep.equal({ machine: 'aarch64', arch: 'arm64' });
    expect(parseArch('arm64\n').arch).to.equal('arm64');
    expect(parseArch('armv7l\n')).to.deep.equal({ machine: 'armv7l', arch: 'arm' });
  });

  it('leaves unsupported machines without an arch, with a reason', () => {
    expect(parseArch('armv6l\n')).to.deep.equal({ machine: 'armv6l', arch: undefined });
    expect(unsupportedArchReason('armv6l')).to.match(/ARMv7 or newer/);
    expect(parseArch('riscv64').arch).to.equal(undefined);
    expect(unsupportedArchReason('riscv64')).to.match(/riscv64 is not supported/);
    expect(unsupportedArchReason('x86_64')).to.equal(undefined);
    expect(unsupportedArchReason('')).to.match(/did not report/);
  });

  it('runs uname -m', () => {
    expect(archProbe.script).to.equal('uname -m');
  });
});
