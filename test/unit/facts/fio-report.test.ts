import { expect } from 'chai';
import { nsToMs, parseFioReport } from '../../../src/facts/fio-report.js';
import { fixture } from '../../support/fact-fixtures.js';

describe('facts: fio report', () => {
  it('reads fdatasync p99, p50 and the sample count from a slow (20 ms) disk', () => {
    expect(parseFioReport(JSON.parse(fixture('fio-report.slowfs-20ms.json')))).to.deep.equal({
      tool: 'fio',
      p99Ms: 20.84,
      p50Ms: 20.58,
      samples: 97,
    });
  });

  it('reads a fast disk in fractions of a millisecond', () => {
    const latency = parseFioReport(JSON.parse(fixture('fio-report.normal-disk.json')));
    expect(latency).to.include({ tool: 'fio', samples: 299 });
    expect((latency as { p99Ms: number }).p99Ms).to.be.lessThan(5);
  });

  it('explains a report without fdatasync latencies (fio older than 3.5)', () => {
    const report = JSON.parse(fixture('fio-report.slowfs-20ms.json'));
    delete report.jobs[0].sync;
    expect(parseFioReport(report)).to.deep.equal({ error: 'fio reported no fdatasync latencies (fio 3.5 or newer is needed)' });
    expect(parseFioReport({})).to.deep.equal({ error: 'fio report has no job' });
  });

  it('rounds nanoseconds to milliseconds with 2 decimals', () => {
    expect(nsToMs(20840448)).to.equal(20.84);
    expect(nsToMs(216064)).to.equal(0.22);
  });
});
