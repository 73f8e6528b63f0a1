// SIGKILL at random points inside each controller write, many times over: the token store, the
// ~/.kube/config merge (through a symlink) and the inventory write-back. A child process does the
// writes through fleet's own modules in a loop (write-loop.ts); after each kill the file must be
// the old or the new content, whole, never a mix or a truncation; the symlink must still be one.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mergeIntoUserKubeconfig } from '../../../src/state/kubeconfig-merge.js';
import { inventoryTexts, killTestToken, labKubeconfig, userKubeconfig } from './write-fixtures.js';

const loopScript = join(dirname(fileURLToPath(import.meta.url)), 'write-loop.js');
const KILLS = 20;

/**
 * Start the loop, let it finish 0-2 writes (so the file changes between kills whatever the
 * machine's load), then a random part of one write's duration, and SIGKILL it: wherever it is.
 */
async function killMidWrite(kind: string, dir: string): Promise<void> {
  const child = spawn(process.execPath, [loopScript, kind, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const writesBeforeKill = Math.floor(Math.random() * 3);
  // How long one write takes on this machine now: the kill lands anywhere within the next one.
  let lastMark = Date.now();
  let writeMs = 30;
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (stdout.length > 0) writeMs = Math.max(1, Date.now() - lastMark);
      lastMark = Date.now();
      stdout += d.toString();
      if (stdout.startsWith('writing\n') && stdout.length - 'writing\n'.length >= writesBeforeKill) resolve();
    });
    void exited.then((code) => reject(new Error(`the write loop ended by itself (exit ${code}): ${stderr}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, Math.random() * writeMs));
  child.kill('SIGKILL');
  await exited.catch(() => undefined);
  expect(stderr, 'the loop failed instead of being killed').to.equal('');
}

/** Files a killed write left behind: its temporary files (proof that kills landed inside writes). */
const leftovers = (dir: string) => readdirSync(dir).filter((n) => n.includes('.fleet-') && n.endsWith('.tmp'));

describe('state: SIGKILL inside controller writes leaves the old or the new file, never a partial one', function () {
  this.timeout(300_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fleet-kill-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it(`token store: ${KILLS} kills, every token file whole`, async () => {
    let killedInside = 0;
    for (let run = 0; run < KILLS; run++) {
      const before = leftovers(dir).length;
      await killMidWrite('token', dir);
      if (leftovers(dir).length > before) killedInside++;
      for (const name of readdirSync(dir).filter((n) => n.startsWith('token-'))) {
        const i = Number(name.split('-')[2]);
        expect(readFileSync(join(dir, name), 'utf8'), name).to.equal(`${killTestToken(i)}\n`);
      }
    }
    expect(readdirSync(dir).filter((n) => n.startsWith('token-')).length).to.be.greaterThan(KILLS);
    console.log(`      (${killedInside} of ${KILLS} kills landed between the temp file's creation and its rename)`);
  });

  it(`~/.kube/config merge through a symlink: ${KILLS} kills, always the old or the new config, the link still a link`, async () => {
    const realDir = join(dir, 'dotfiles');
    mkdirSync(realDir);
    const real = join(realDir, 'kubeconfig');
    writeFileSync(real, userKubeconfig(), { mode: 0o600 });
    symlinkSync(real, join(dir, 'config'));
    // The only contents allowed: the user's file, or it merged with either version of the lab.
    const allowed = new Set([userKubeconfig()]);
    for (const version of [0, 1]) {
      const scratch = join(dir, `scratch-${version}`);
      writeFileSync(scratch, userKubeconfig());
      await mergeIntoUserKubeconfig(labKubeconfig(version), { file: scratch });
      allowed.add(readFileSync(scratch, 'utf8'));
      rmSync(scratch);
      for (const n of readdirSync(dir).filter((x) => x.startsWith(`scratch-${version}.fleet-backup`))) rmSync(join(dir, n));
    }
    const seen = new Set<string>();
    let killedInside = 0;
    for (let run = 0; run < KILLS; run++) {
      const before = leftovers(realDir).length;
      await killMidWrite('kubeconfig', dir);
      if (leftovers(realDir).length > before) killedInside++;
      expect(lstatSync(join(dir, 'config')).isSymbolicLink(), 'config is still a symlink').to.equal(true);
      const text = readFileSync(real, 'utf8');
      expect(allowed.has(text), `run ${run}: partial or unexpected ~/.kube/config (${text.length} bytes)`).to.equal(true);
      seen.add(text);
      for (const backup of readdirSync(realDir).filter((n) => n.includes('.fleet-backup-') && !n.endsWith('.tmp'))) {
        expect(allowed.has(readFileSync(join(realDir, backup), 'utf8')), `backup ${backup} is whole`).to.equal(true);
      }
    }
    expect(readdirSync(dir).filter((n) => n !== 'dotfiles' && n !== 'config')).to.deep.equal([]);
    expect(seen.size, 'the kills caught the file in more than one state').to.be.greaterThan(1);
    console.log(`      (${killedInside} of ${KILLS} kills landed between the temp file's creation and its rename; ${seen.size} distinct states seen)`);
  });

  it(`inventory write-back: ${KILLS} kills, always the old or the new inventory`, async () => {
    const { base, appended } = inventoryTexts();
    const file = join(dir, 'inventory.yaml');
    writeFileSync(file, base, { mode: 0o644 });
    const seen = new Set<string>();
    let killedInside = 0;
    for (let run = 0; run < KILLS; run++) {
      const before = leftovers(dir).length;
      await killMidWrite('inventory', dir);
      if (leftovers(dir).length > before) killedInside++;
      const text = readFileSync(file, 'utf8');
      expect([base, appended].includes(text), `run ${run}: partial inventory (${text.length} bytes)`).to.equal(true);
      seen.add(text);
    }
    expect(seen.size).to.equal(2);
    console.log(`      (${killedInside} of ${KILLS} kills landed between the temp file's creation and its rename)`);
  });
});
