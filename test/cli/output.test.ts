import { expect } from 'chai';
import { styleFor, useColour } from '../../src/cli/output.js';
import { redact } from '../../src/util/redact.js';

describe('cli: output helpers', () => {
  const tty = { isTTY: true } as NodeJS.WriteStream;
  const pipe = { isTTY: false } as NodeJS.WriteStream;

  it('colours only a TTY, and never with NO_COLOR or TERM=dumb', () => {
    expect(useColour(tty, {})).to.equal(true);
    expect(useColour(pipe, {})).to.equal(false);
    expect(useColour(tty, { NO_COLOR: '' })).to.equal(false);
    expect(useColour(tty, { TERM: 'dumb' })).to.equal(false);
  });

  it('styles with ANSI codes only when colour is on', () => {
    expect(styleFor(false).bold('x')).to.equal('x');
    expect(styleFor(true).bold('x')).to.equal('\u001b[1mx\u001b[22m');
  });

  it('redacts every occurrence of every secret, ignoring empty ones', () => {
    expect(redact('a s3 b s3 c k', ['s3', '', undefined, 'k'])).to.equal('a <redacted> b <redacted> c <redacted>');
  });
});
