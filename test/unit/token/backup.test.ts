import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { statePaths } from '../../../src/state/state-paths.js';
import { missingTokenWarning } from '../../../src/token/backup.js';
import { storeToken } from '../../../src/token/store.js';
import { host, inventory } from '../support/plan-inputs.js';

describe('state/token-backup: fleet status warns when no local copy of the token exists', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fleet-tokbak-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('warns only when the cluster exists and neither the inventory nor .fleet/<cluster>/token holds it', () => {
    const inv = { ...inventory([host('s1', { role: 'server' })]), dir };
    expect(missingTokenWarning(inv, false)).to.equal(undefined);
    expect(missingTokenWarning(inv, true))
      .to.match(/no local copy of the cluster token/)
      .and.match(/back it up with your snapshots/);
    expect(missingTokenWarning({ ...inv, cluster: { ...inv.cluster, token: 'x' } }, true)).to.equal(undefined);
    storeToken(statePaths(inv).token, 'secret');
    expect(missingTokenWarning(inv, true)).to.equal(undefined);
  });
});
