import { expect } from 'chai';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { InputError } from '../../../src/errors.js';
import { checkUserKubeconfig, mergeIntoUserKubeconfig } from '../../../src/state/kubeconfig-merge.js';

const entry = (name: string, server: string) =>
  stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server, 'certificate-authority-data': 'Q0E=' } }],
    users: [{ name, user: { token: `tok-${server}` } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
  });

const WORK = entry('work', 'https://10.9.9.9:6443');

describe('steps/kubeconfig-merge: ~/.kube/config', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleet-kube-'));
    file = join(dir, 'config');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('adds the cluster beside the others, keeps the current context, backs up the old file', async () => {
    writeFileSync(file, WORK, { mode: 0o600 });
    const result = await mergeIntoUserKubeconfig(entry('lab', 'https://10.0.0.1:6443'), { file });
    expect(result.changed).to.equal(true);
    const merged = parse(readFileSync(file, 'utf8'));
    expect(merged.contexts.map((c: { name: string }) => c.name)).to.deep.equal(['work', 'lab']);
    expect(merged['current-context']).to.equal('work');
    expect(readFileSync(result.backup!, 'utf8')).to.equal(WORK);
    expect(statSync(result.backup!).mode & 0o777).to.equal(0o600);
    expect(readdirSync(dir).sort()).to.deep.equal(['config', result.backup!.slice(dir.length + 1)].sort());
  });

  it('is a no-op (no write, no backup) when the same entries are there already', async () => {
    writeFileSync(file, WORK);
    const result = await mergeIntoUserKubeconfig(WORK, { file });
    expect(result).to.deep.equal({ file, changed: false });
    expect(readdirSync(dir)).to.deep.equal(['config']);
  });

  it('refuses to replace same-named entries that differ without --force (exit 2, file unchanged), replaces them with it', async () => {
    writeFileSync(file, WORK);
    const other = entry('work', 'https://192.168.1.1:6443');
    const refused = await mergeIntoUserKubeconfig(other, { file }).catch((err: Error) => err);
    expect(refused).to.be.instanceOf(InputError);
    expect((refused as InputError).message).to.match(/already has a cluster named "work" that holds something else/);
    expect((refused as InputError).hint).to.match(/--context NAME.*--force/);
    expect(readFileSync(file, 'utf8')).to.equal(WORK);
    expect(readdirSync(dir)).to.deep.equal(['config']);
    const forced = await mergeIntoUserKubeconfig(other, { file, force: true });
    expect(parse(readFileSync(file, 'utf8')).clusters[0].cluster.server).to.equal('https://192.168.1.1:6443');
    expect(readFileSync(forced.backup!, 'utf8')).to.equal(WORK);
  });

  it('switches the current context only with setCurrent', async () => {
    writeFileSync(file, WORK);
    await mergeIntoUserKubeconfig(entry('lab', 'https://10.0.0.1:6443'), { file, setCurrent: true });
    expect(parse(readFileSync(file, 'utf8'))['current-context']).to.equal('lab');
  });

  it('creates a missing file (0600) with the context as current; no backup', async () => {
    const fresh = join(dir, 'sub', 'config');
    const result = await mergeIntoUserKubeconfig(entry('lab', 'https://10.0.0.1:6443'), { file: fresh });
    expect(result.backup).to.equal(undefined);
    expect(parse(readFileSync(fresh, 'utf8'))['current-context']).to.equal('lab');
    expect(statSync(fresh).mode & 0o777).to.equal(0o600);
  });

  for (const [what, text] of [
    ['YAML that does not parse', 'clusters: [unclosed\n  - {'],
    ['a map that is not a kubeconfig', 'hello: world\n'],
    ['another kind', 'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n'],
    ['a list', '- a\n- b\n'],
    ['clusters that are not a list', 'kind: Config\nclusters: nope\n'],
    ['an entry without a name', 'kind: Config\nclusters:\n- cluster: {server: x}\n'],
  ] as const) {
    it(`refuses ${what} with exit 2 and leaves it untouched`, async () => {
      writeFileSync(file, text);
      expect(() => checkUserKubeconfig(file)).to.throw(InputError, /is not a kubeconfig .*; fleet left it untouched/);
      const err = await mergeIntoUserKubeconfig(WORK, { file }).catch((e: Error) => e);
      expect(err).to.be.instanceOf(InputError);
      expect(readFileSync(file, 'utf8')).to.equal(text);
      expect(readdirSync(dir)).to.deep.equal(['config']);
    });
  }

  it('writes through a symlinked config: the link stays a link, the backup sits beside the real file', async () => {
    mkdirSync(join(dir, 'dotfiles'));
    const real = join(dir, 'dotfiles', 'kubeconfig');
    writeFileSync(real, WORK);
    symlinkSync(real, file);
    const result = await mergeIntoUserKubeconfig(entry('lab', 'https://10.0.0.1:6443'), { file });
    expect(lstatSync(file).isSymbolicLink()).to.equal(true);
    expect(parse(readFileSync(real, 'utf8')).clusters).to.have.length(2);
    expect(result.backup!.startsWith(`${real}.fleet-backup-`)).to.equal(true);
  });

  it('keeps a bounded number of backups, the newest', async () => {
    writeFileSync(file, WORK);
    for (let i = 0; i < 4; i++) {
      await mergeIntoUserKubeconfig(entry('lab', `https://10.0.0.${i}:6443`), { file, force: true, keepBackups: 2 });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const backups = readdirSync(dir)
      .filter((n) => n.includes('fleet-backup'))
      .sort();
    expect(backups).to.have.length(2);
    // The newest backup holds the state just before the last merge.
    expect(parse(readFileSync(join(dir, backups[1]!), 'utf8')).clusters[1].cluster.server).to.equal('https://10.0.0.2:6443');
  });

  it("takes over the <file>.lock a killed fleet left, but waits for and then refuses another writer's", async () => {
    writeFileSync(file, WORK);
    writeFileSync(`${file}.lock`, '999999999\n');
    await mergeIntoUserKubeconfig(entry('lab', 'https://10.0.0.1:6443'), { file });
    expect(readdirSync(dir).filter((n) => n.endsWith('.lock'))).to.deep.equal([]);
    writeFileSync(`${file}.lock`, `${process.pid}\n`);
    const err = await mergeIntoUserKubeconfig(entry('lab2', 'https://10.0.0.2:6443'), { file }).catch((e: Error) => e);
    expect(err).to.be.instanceOf(InputError);
    expect((err as Error).message).to.match(/config\.lock exists: another program is writing/);
  });
});
