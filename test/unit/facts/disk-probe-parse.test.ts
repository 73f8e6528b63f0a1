import { expect } from 'chai';
import { diskProbeEnv, diskProbeScript, parseDiskProbe } from '../../../src/facts/disk-probe.js';
import { fixture } from '../../support/fact-fixtures.js';

describe('disk probe: script and result parsing', () => {
  it('embeds the python3 probe in the shell script as a quoted heredoc', () => {
    const script = diskProbeScript();
    expect(script.startsWith('#!/bin/sh\n')).to.equal(true);
    expect(script).to.include('FLEET_PROBE_PY=$(cat <<\'FLEET_DISK_PROBE_PY\'\n"""fleet disk probe');
    // Set before the body reads it.
    expect(script.indexOf('FLEET_PROBE_PY=$(cat')).to.be.lessThan(script.indexOf('run_python()'));
  });

  it('passes parameters as environment', () => {
    expect(diskProbeEnv({ directory: '/mnt/ssd', maxWrites: 50, maxSeconds: 5, tool: 'python3' })).to.deep.equal({
      FLEET_PROBE_DIR: '/mnt/ssd',
      FLEET_PROBE_MAX_WRITES: '50',
      FLEET_PROBE_MAX_SECONDS: '5',
      FLEET_PROBE_TOOL: 'python3',
    });
    expect(diskProbeEnv()).to.deep.equal({});
  });

  it('reads fio results (a real run on a 20 ms slowed disk)', () => {
    const result = parseDiskProbe(fixture('disk-probe.fio.slowfs-20ms.jsonl'));
    expect(result).to.include({ tool: 'fio', directory: '/tmp/sfs/mnt' });
    const { p99Ms, p50Ms, samples } = result as { p99Ms: number; p50Ms: number; samples: number };
    expect(p99Ms).to.be.within(20, 25);
    expect(p50Ms).to.be.within(20, 25);
    expect(samples).to.be.within(150, 200);
  });

  it('reads python3 results', () => {
    expect(parseDiskProbe(fixture('disk-probe.python3.slowfs-20ms.jsonl'))).to.deep.equal({
      tool: 'python3',
      directory: '/tmp/sfs/mnt',
      p99Ms: 21.18,
      p50Ms: 20.87,
      samples: 192,
    });
    expect(parseDiskProbe(fixture('disk-probe.python3.var-lib.jsonl'))).to.include({ samples: 300, directory: '/var/lib' });
  });

  it('gives the refusal reason when nothing could measure', () => {
    expect(parseDiskProbe(fixture('disk-probe.none.jsonl'))).to.deep.equal({
      error: 'no fio and no python3: cannot measure fdatasync latency',
    });
  });

  it('explains output it cannot use', () => {
    expect(parseDiskProbe('')).to.deep.equal({ error: 'the disk probe printed no result' });
    expect(parseDiskProbe('{not json\n')).to.deep.equal({ error: 'the disk probe printed a result that is not JSON' });
    expect(parseDiskProbe('{"tool":"python3","directory":"/x","samples":0}')).to.deep.equal({
      error: 'the python3 disk probe printed an incomplete result',
    });
    expect(parseDiskProbe('{"tool":"dd"}')).to.deep.equal({ error: 'the disk probe used an unknown tool: dd' });
  });
});
