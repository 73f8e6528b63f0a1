import { expect } from 'chai';
import { parseDfAvailableBytes } from '../../../src/facts/data-dir-free.js';
import { fixture } from '../../support/fact-fixtures.js';

describe('facts: free space on the data dir (df -P)', () => {
  it('reads -B1 output in bytes', () => {
    const row = fixture('df-B1.var-lib').trim().split('\n')[1]!.split(/\s+/);
    expect(parseDfAvailableBytes(fixture('df-B1.var-lib'))).to.equal(Number(row[3]));
  });

  it('scales the -k fallback by its block size', () => {
    const row = fixture('df-k.var-lib').trim().split('\n')[1]!.split(/\s+/);
    expect(parseDfAvailableBytes(fixture('df-k.var-lib'))).to.equal(Number(row[3]) * 1024);
  });

  it('gives undefined for output it does not know', () => {
    expect(parseDfAvailableBytes('')).to.equal(undefined);
    expect(parseDfAvailableBytes('df: /var/lib/rancher: No such file or directory\n')).to.equal(undefined);
  });
});
