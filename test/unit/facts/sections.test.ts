import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { frameSection, keyValueLines, splitSections } from '../../../src/facts/sections.js';

const run = (script: string): string => execFileSync('sh', ['-s'], { input: script, encoding: 'utf8' });

describe('facts: section delimiters', () => {
  it('keeps each section exactly as printed, trailing newline or not, NULs included', () => {
    const stdout = run(
      [frameSection('with-newline', 'echo x86_64'), frameSection('without-newline', "printf 'Raspberry Pi 4\\0'"), frameSection('empty', 'true'), frameSection('failing', 'echo partial; exit 3')].join(
        '\n',
      ),
    );
    const sections = splitSections(stdout);
    expect(sections.get('with-newline')).to.deep.equal({ text: 'x86_64\n', exitCode: 0 });
    expect(sections.get('without-newline')).to.deep.equal({ text: 'Raspberry Pi 4\0', exitCode: 0 });
    expect(sections.get('empty')).to.deep.equal({ text: '', exitCode: 0 });
    expect(sections.get('failing')).to.deep.equal({ text: 'partial\n', exitCode: 3 });
  });

  it('runs each snippet in a subshell, so one cannot end the script', () => {
    const sections = splitSections(run([frameSection('a', 'exit 1'), frameSection('b', 'echo still-here')].join('\n')));
    expect(sections.get('b')?.text).to.equal('still-here\n');
  });

  it('drops a section whose end marker never came (script killed)', () => {
    const sections = splitSections('@@fleet:begin a@@\nx\n@@fleet:end a rc=0@@\n@@fleet:begin b@@\nhalf');
    expect([...sections.keys()]).to.deep.equal(['a']);
  });

  it('refuses section names that could break the frame', () => {
    expect(() => frameSection("bad'name", 'true')).to.throw(TypeError);
  });
});

describe('facts: key=value lines', () => {
  it('splits at the first =, trims, and ignores lines without a key', () => {
    const fields = keyValueLines(' sha256=ab=cd \nmode=600\n=orphan\nabsent\n\nfleet=\n');
    expect([...fields.entries()]).to.deep.equal([
      ['sha256', 'ab=cd'],
      ['mode', '600'],
      ['fleet', ''],
    ]);
  });
});
