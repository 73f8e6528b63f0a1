import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyTypeOfBlob, sha256Fingerprint } from '../../../src/ssh/fingerprint.js';

describe('ssh fingerprint', function () {
  let dir: string;

  before(function () {
    dir = mkdtempSync(join(tmpdir(), 'fleet-fp-'));
  });

  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  for (const type of ['ed25519', 'rsa', 'ecdsa']) {
    it(`prints the same SHA256 fingerprint as ssh-keygen -lf for an ${type} key`, function () {
      const file = join(dir, `key_${type}`);
      execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', file]);
      const [keyType, base64] = readFileSync(`${file}.pub`, 'utf8').split(' ');
      const blob = Buffer.from(base64, 'base64');
      const expected = execFileSync('ssh-keygen', ['-lf', `${file}.pub`])
        .toString()
        .split(' ')[1];
      expect(sha256Fingerprint(blob)).to.equal(expected);
      expect(keyTypeOfBlob(blob)).to.equal(keyType);
    });
  }

  it('names garbage blobs unknown instead of throwing', function () {
    expect(keyTypeOfBlob(Buffer.from([0, 0]))).to.equal('unknown');
    expect(keyTypeOfBlob(Buffer.from([0, 0, 0, 200, 1, 2]))).to.equal('unknown');
  });
});
