import { expect } from 'chai';
import { parseOsRelease } from '../../../src/facts/os-release.js';
import { fixture } from '../../support/fact-fixtures.js';

describe('facts: os-release', () => {
  it('reads Debian 12', () => {
    expect(parseOsRelease(fixture('os-release.debian-12'))).to.deep.equal({
      id: 'debian',
      versionId: '12',
      prettyName: 'Debian GNU/Linux 12 (bookworm)',
    });
  });

  it('reads Raspberry Pi OS bookworm 64-bit as Debian (that is what it prints)', () => {
    expect(parseOsRelease(fixture('os-release.raspios-bookworm-arm64')).id).to.equal('debian');
  });

  it('reads 32-bit Raspbian', () => {
    expect(parseOsRelease(fixture('os-release.raspbian-bookworm-armhf'))).to.deep.equal({
      id: 'raspbian',
      versionId: '12',
      prettyName: 'Raspbian GNU/Linux 12 (bookworm)',
    });
  });

  it('reads Ubuntu 24.04', () => {
    expect(parseOsRelease(fixture('os-release.ubuntu-24.04'))).to.deep.equal({
      id: 'ubuntu',
      versionId: '24.04',
      prettyName: 'Ubuntu 24.04.1 LTS',
    });
  });

  it('unquotes single quotes and backslash escapes', () => {
    expect(parseOsRelease('ID=\'alpine\'\nPRETTY_NAME="say \\"hi\\""\n')).to.deep.equal({ id: 'alpine', prettyName: 'say "hi"' });
  });

  it('gives an empty id when there is no os-release', () => {
    expect(parseOsRelease('')).to.deep.equal({ id: '' });
  });
});
