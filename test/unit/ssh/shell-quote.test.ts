import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { InputError } from '../../../src/errors.js';
import { envExportLines, quoteShellWord } from '../../../src/ssh/shell-quote.js';

// Strings sh can hold: anything but NUL, with the nasty characters made likely.
const shellString = fc
  .oneof(
    fc.string({ unit: 'binary' }),
    fc.array(fc.constantFrom("'", '"', '$', '(', ')', '`', '\\', '\n', ' ', '*', '!', ';', '&', '|', '$(id)', '${HOME}', '\t', 'é', '🚀')).map((parts) => parts.join('')),
  )
  .filter((value) => !value.includes('\0'));

describe('shell quoting', function () {
  it('round-trips any string through a real /bin/sh exactly', function () {
    this.timeout(60_000);
    fc.assert(
      fc.property(shellString, (value) => {
        const printed = execFileSync('/bin/sh', ['-c', `printf '%s' ${quoteShellWord(value)}`]);
        expect(printed.toString('utf8')).to.equal(value);
      }),
      { numRuns: 150 },
    );
  });

  it('round-trips env values exported in a script read by sh -s', function () {
    this.timeout(60_000);
    fc.assert(
      fc.property(shellString, shellString, (first, second) => {
        const script = `${envExportLines({ FIRST: first, SECOND_2: second })}printf '%s\\0%s' "$FIRST" "$SECOND_2"\n`;
        const printed = execFileSync('/bin/sh', ['-s'], { input: script }).toString('utf8');
        expect(printed).to.equal(`${first}\0${second}`);
      }),
      { numRuns: 100 },
    );
  });

  it('quotes the classic troublemakers', function () {
    expect(quoteShellWord("it's")).to.equal(`'it'\\''s'`);
    expect(quoteShellWord('')).to.equal(`''`);
  });

  it('refuses NUL bytes and bad variable names', function () {
    expect(() => quoteShellWord('a\0b')).to.throw(InputError);
    expect(() => envExportLines({ '1BAD': 'x' })).to.throw(InputError, /variable name/);
    expect(() => envExportLines({ 'A;rm -rf /': 'x' })).to.throw(InputError);
  });
});
