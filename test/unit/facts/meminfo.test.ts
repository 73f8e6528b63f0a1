import { expect } from 'chai';
import { parseMemTotalBytes } from '../../../src/facts/meminfo.js';
import { fixture } from '../../support/fact-fixtures.js';

describe('facts: meminfo', () => {
  it('reads MemTotal in bytes', () => {
    const text = fixture('meminfo.x86');
    const kib = Number(/^MemTotal:\s+(\d+) kB/m.exec(text)![1]);
    expect(kib).to.be.greaterThan(0);
    expect(parseMemTotalBytes(text)).to.equal(kib * 1024);
    expect(parseMemTotalBytes('MemTotal:        3884096 kB\n')).to.equal(3884096 * 1024);
  });

  it('gives 0 without MemTotal', () => {
    expect(parseMemTotalBytes('')).to.equal(0);
  });
});
