import { expect } from 'chai';
import { textTable } from '../../../src/util/text-table.js';

describe('util/text-table', () => {
  it('pads each column to its widest cell, with the gap between, and no trailing spaces', () => {
    const text = textTable([
      ['NAME', 'STATUS', 'NOTE'],
      ['h1', 'Ready', ''],
      ['server-10', 'NotReady', 'cordoned'],
    ]);
    expect(text.split('\n')).to.deep.equal(['NAME       STATUS    NOTE', 'h1         Ready', 'server-10  NotReady  cordoned']);
  });

  it('takes another gap, and treats missing cells of a short row as empty', () => {
    expect(textTable([['A', 'B', 'C'], ['long'], ['x', 'yy', 'z']], '   ')).to.equal(['A      B    C', 'long', 'x      yy   z'].join('\n'));
  });
});
