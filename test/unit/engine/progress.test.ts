import { expect } from 'chai';
import { plainProgress, ttyProgress } from '../../../src/engine/progress.js';

describe('engine/progress', () => {
  it('marks a finding that is not a failure as WARN, not ok (a disk too slow for etcd)', () => {
    const out: string[] = [];
    const progress = plainProgress(
      (t) => out.push(t),
      () => new Date('2026-01-02T03:04:05Z'),
    );
    progress.update('pi-3', 'disk p99 43.25 ms over 200 writes: too slow for etcd (limit 20 ms)', 'warn');
    expect(out).to.deep.equal(['03:04:05 pi-3: disk p99 43.25 ms over 200 writes: too slow for etcd (limit 20 ms) WARN\n']);
  });

  it('prints plain timestamped lines when not on a terminal', () => {
    const out: string[] = [];
    const progress = plainProgress(
      (t) => out.push(t),
      () => new Date('2026-01-02T03:04:05Z'),
    );
    progress.update('pi-1', 'installing server');
    progress.update('pi-1', 'done', 'ok');
    progress.update('pi-2', 'unreachable', 'failed');
    progress.note('verifying 2 nodes');
    expect(out).to.deep.equal(['03:04:05 pi-1: installing server …\n', '03:04:05 pi-1: done ok\n', '03:04:05 pi-2: unreachable FAILED\n', '03:04:05 verifying 2 nodes\n']);
  });

  it('redraws one line per host in place on a terminal', async () => {
    let written = '';
    const stream = { write: (t: string) => ((written += t), true), rows: 40 } as unknown as NodeJS.WriteStream;
    const progress = ttyProgress(stream, ['pi-1', 'pi-2']);
    progress.update('pi-1', 'installing server');
    progress.update('pi-2', 'gathering facts');
    await new Promise((r) => setTimeout(r, 150));
    const first = written;
    expect(first)
      .to.match(/ … pi-1 {2}installing server/)
      .and.match(/ … pi-2 {2}gathering facts/);
    progress.update('pi-1', 'done', 'ok');
    progress.note('verifying');
    progress.stop();
    const second = written.slice(first.length);
    // Back up over the two host lines, print the note above them, then the hosts again.
    expect(second.startsWith('\u001b[2A')).to.equal(true);
    expect(second)
      // eslint-disable-next-line no-control-regex -- the terminal's own escape codes are what is checked
      .to.match(/\u001b\[2Kverifying\n/)
      .and.match(/ ✓ pi-1 {2}done\n/);
  });
});
