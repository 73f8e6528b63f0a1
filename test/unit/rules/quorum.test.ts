import { expect } from 'chai';
import { describeQuorum, explainEven, quorumOf } from '../../../src/rules/quorum.js';

describe('plan: quorum arithmetic', () => {
  it('matches the etcd table for 1–9 servers', () => {
    const table = [
      [1, 1, 0],
      [2, 2, 0],
      [3, 2, 1],
      [4, 3, 1],
      [5, 3, 2],
      [6, 4, 2],
      [7, 4, 3],
      [8, 5, 3],
      [9, 5, 4],
    ];
    for (const [servers, quorum, faultTolerance] of table) {
      expect(quorumOf(servers!), `${servers} servers`).to.deep.equal({ servers, quorum, faultTolerance });
    }
  });

  it('refuses zero or fractional server counts', () => {
    expect(() => quorumOf(0)).to.throw(RangeError);
    expect(() => quorumOf(2.5)).to.throw(RangeError);
  });

  it('says it in words', () => {
    expect(describeQuorum(1)).to.equal('1 server: quorum 1, tolerates no failure');
    expect(describeQuorum(3)).to.equal('3 servers: quorum 2, tolerates 1 failure');
    expect(describeQuorum(5)).to.equal('5 servers: quorum 3, tolerates 2 failures');
  });

  it('explains why an even count is no better than the odd one below', () => {
    expect(explainEven(4)).to.equal('4 servers need a quorum of 3 and tolerate 1 failure, the same as 3 servers (quorum 2); 5 servers would tolerate 2');
    expect(explainEven(2)).to.contain('the same as 1 server (quorum 1)');
  });
});
