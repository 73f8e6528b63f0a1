import { expect } from 'chai';
import { clockOffsetMs, parseHostClockMs } from '../../../src/facts/clock.js';

describe('facts: clock', () => {
  it('reads date +%s%N in milliseconds', () => {
    expect(parseHostClockMs('1795527103929123456\n')).to.be.closeTo(1795527103929.1235, 1e-3);
  });

  it('reads a date without %N as whole seconds', () => {
    expect(parseHostClockMs('1795527103N\n')).to.equal(1795527103000);
    expect(parseHostClockMs('1795527103\n')).to.equal(1795527103000);
  });

  it('rejects anything else', () => {
    expect(parseHostClockMs('')).to.equal(undefined);
    expect(parseHostClockMs('%s%N')).to.equal(undefined);
  });

  it('compares midpoints, so the script run time cancels out', () => {
    // Host 1500 ms ahead; 100 ms each way on the network; the script ran 2 s.
    const local = { sentMs: 10_000, receivedMs: 12_200 };
    const host = { startMs: 10_100 + 1500, endMs: 12_100 + 1500 };
    expect(clockOffsetMs(host, local)).to.equal(1500);
  });
});
