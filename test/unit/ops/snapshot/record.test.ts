// The controller's snapshot store: records written 0600 and read back checked; SNAPSHOT resolved
// as a name in .fleet/<cluster>/snapshots or a path; bad input is exit 2 naming the fix.
import { expect } from 'chai';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../../../src/errors.js';
import { ensureSnapshotDir, listControllerSnapshots, readRecord, resolveSnapshot, sha256OfFile, writeRecord, type SnapshotRecord } from '../../../../src/ops/snapshot/record.js';

describe('snapshot records on the controller', () => {
  let dir: string;
  const inventory = () => ({ dir, cluster: { name: 'lab' } }) as never;
  const record = (name: string, takenAt: string): SnapshotRecord => ({
    name,
    cluster: 'lab',
    k3sVersion: 'v1.31.4+k3s1',
    server: 'h1',
    takenAt,
    size: 5,
    sha256: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
    tokenFingerprint: 'sha256:x',
    nodes: ['h1'],
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleet-snapshots-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the record 0600 in a 0700 directory, lists oldest first, resolves by name and by path', async () => {
    const store = ensureSnapshotDir(inventory());
    expect(statSync(store).mode & 0o777).to.equal(0o700);
    for (const [name, at] of [
      ['b', '2026-12-02T00:00:00Z'],
      ['a', '2026-12-01T00:00:00Z'],
    ] as const) {
      writeFileSync(join(store, name), 'hello');
      writeRecord(join(store, name), record(name, at));
    }
    expect(statSync(join(store, 'a.json')).mode & 0o777).to.equal(0o600);
    expect(listControllerSnapshots(inventory()).map((s) => s.record.name)).to.deep.equal(['a', 'b']);
    expect(resolveSnapshot(inventory(), 'b').file).to.equal(join(store, 'b'));
    expect(resolveSnapshot(inventory(), join(store, 'a')).record.name).to.equal('a');
    expect(await sha256OfFile(join(store, 'a'))).to.equal(record('a', '').sha256);
  });

  it('refuses an unknown snapshot, naming the known ones (exit 2)', () => {
    const store = ensureSnapshotDir(inventory());
    writeFileSync(join(store, 'a'), 'hello');
    writeRecord(join(store, 'a'), record('a', '2026-12-01T00:00:00Z'));
    expect(() => resolveSnapshot(inventory(), 'nope'))
      .to.throw(InputError, /no snapshot nope/)
      .with.property('exitCode', 2);
    try {
      resolveSnapshot(inventory(), 'nope');
    } catch (err) {
      expect((err as InputError).hint).to.include('use one of: a');
    }
  });

  it('refuses a file without a record, and a record missing a field', () => {
    const file = join(dir, 'loose');
    writeFileSync(file, 'x');
    expect(() => readRecord(file)).to.throw(InputError, /has no record beside it/);
    const partial: Partial<SnapshotRecord> = record('loose', 'now');
    delete partial.sha256;
    writeFileSync(`${file}.json`, JSON.stringify(partial));
    expect(() => readRecord(file)).to.throw(InputError, /sha256 is missing/);
  });
});
