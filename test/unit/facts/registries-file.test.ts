// The registries.yaml probe: run for real by sh against files in a temporary directory (the
// probe's path swapped), then parsed; only fingerprint, mode and owner leave it, never content.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRegistriesFile, registriesFileProbe } from '../../../src/facts/registries-file.js';
import { REGISTRIES_FILE, REGISTRIES_HEADER } from '../../../src/rules/registries.js';

describe('facts: registries.yaml', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fleet-registries-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const probe = (path: string) => execFileSync('sh', ['-c', registriesFileProbe.script.replace(REGISTRIES_FILE, path)], { encoding: 'utf8' });

  it("reads fleet's file: its sha256, mode 600, written by fleet; the password stays on the host", () => {
    const path = join(dir, 'registries.yaml');
    const content = `${REGISTRIES_HEADER}\nconfigs:\n  r.example:\n    auth: { password: hunter2-probe }\n`;
    writeFileSync(path, content);
    chmodSync(path, 0o600);
    const output = probe(path);
    expect(output).to.not.include('hunter2-probe');
    expect(parseRegistriesFile(output)).to.deep.equal({ status: 'present', fingerprint: `sha256:${createHash('sha256').update(content).digest('hex')}`, mode: '600', fleet: true });
  });

  it('tells a hand-written file (not fleet) and its loose mode, and an absent one', () => {
    const path = join(dir, 'registries.yaml');
    writeFileSync(path, 'mirrors: {}\n');
    chmodSync(path, 0o644);
    expect(parseRegistriesFile(probe(path))).to.include({ status: 'present', mode: '644', fleet: false });
    expect(parseRegistriesFile(probe(join(dir, 'none.yaml')))).to.deep.equal({ status: 'absent' });
    expect(parseRegistriesFile('sha256=short')).to.deep.equal({ status: 'unknown' });
  });
});
