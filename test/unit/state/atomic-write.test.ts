import { expect } from 'chai';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../../src/errors.js';
import { atomicWriteFile, readSnapshot, resolveWriteTarget } from '../../../src/state/atomic-write.js';
import { storeToken } from '../../../src/token/store.js';
import { writeBackNewHost } from '../../../src/inventory/save-new-host.js';
import { SafetyError } from '../../../src/errors.js';

describe('state/atomic-write', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fleet-atomic-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a new file with the given mode, and its directory', () => {
    const file = join(dir, 'a', 'b', 'token');
    atomicWriteFile(file, 'secret\n', { mode: 0o600 });
    expect(readFileSync(file, 'utf8')).to.equal('secret\n');
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    expect(readdirSync(join(dir, 'a', 'b'))).to.deep.equal(['token']);
  });

  it("keeps an existing file's mode unless told to force one", () => {
    const file = join(dir, 'inventory.yaml');
    writeFileSync(file, 'old', { mode: 0o640 });
    atomicWriteFile(file, 'new', { mode: 0o600 });
    expect(statSync(file).mode & 0o777).to.equal(0o640);
    atomicWriteFile(file, 'newer', { mode: 0o600, forceMode: true });
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    expect(readFileSync(file, 'utf8')).to.equal('newer');
  });

  it('writes through a symlink (also a chain, also a dangling one) and leaves the link a link', () => {
    const real = join(dir, 'dotfiles', 'kubeconfig');
    mkdirSync(join(dir, 'dotfiles'));
    writeFileSync(real, 'old');
    symlinkSync('dotfiles/kubeconfig', join(dir, 'middle'));
    symlinkSync(join(dir, 'middle'), join(dir, 'config'));
    expect(atomicWriteFile(join(dir, 'config'), 'new')).to.equal(real);
    expect(lstatSync(join(dir, 'config')).isSymbolicLink()).to.equal(true);
    expect(lstatSync(join(dir, 'middle')).isSymbolicLink()).to.equal(true);
    expect(readFileSync(real, 'utf8')).to.equal('new');
    symlinkSync(join(dir, 'dotfiles', 'not-yet'), join(dir, 'dangling'));
    atomicWriteFile(join(dir, 'dangling'), 'created');
    expect(lstatSync(join(dir, 'dangling')).isSymbolicLink()).to.equal(true);
    expect(readFileSync(join(dir, 'dotfiles', 'not-yet'), 'utf8')).to.equal('created');
    expect(resolveWriteTarget(join(dir, 'dangling'))).to.equal(join(dir, 'dotfiles', 'not-yet'));
  });

  it('refuses to overwrite a file changed since it was read, leaving it and no temporary file', () => {
    const file = join(dir, 'inventory.yaml');
    writeFileSync(file, 'as read');
    const read = readSnapshot(file);
    writeFileSync(file, 'saved by an editor');
    expect(() => atomicWriteFile(file, 'fleet', { unchangedSince: read })).to.throw(InputError, /changed on disk since fleet read it/);
    expect(readFileSync(file, 'utf8')).to.equal('saved by an editor');
    expect(readdirSync(dir)).to.deep.equal(['inventory.yaml']);
    atomicWriteFile(file, 'fleet', { unchangedSince: readSnapshot(file) });
    expect(readFileSync(file, 'utf8')).to.equal('fleet');
  });

  it('a failure before the rename leaves the old file intact', () => {
    const file = join(dir, 'x');
    writeFileSync(file, 'old');
    // The target's directory path is a file: the temp cannot be created, the target is untouched.
    expect(() => atomicWriteFile(join(file, 'child'), 'new')).to.throw();
    expect(readFileSync(file, 'utf8')).to.equal('old');
  });

  it('never overwrites a stored token with a different value; the same value again is fine', () => {
    const file = join(dir, 'token');
    storeToken(file, 'first');
    storeToken(file, 'first');
    expect(() => storeToken(file, 'second')).to.throw(SafetyError, /already holds a different cluster token/);
    expect(readFileSync(file, 'utf8')).to.equal('first\n');
    expect(statSync(file).mode & 0o777).to.equal(0o600);
  });
});

describe('inventory/save-new-host: add-node write-back', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fleet-save-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the new host when the file is as read, and keeps it (handing the entry over) when an editor saved it meanwhile', () => {
    const file = join(dir, 'inventory.yaml');
    const base = '# lab\ncluster: { name: lab }\nhosts:\n  - { name: h1, address: 10.0.0.1, role: server }\n';
    const withNew = `${base}  - { name: h2, address: 10.0.0.2, role: agent }\n`;
    writeFileSync(file, base, { mode: 0o640 });
    expect(writeBackNewHost(file, withNew, readSnapshot(file), 'h2')).to.equal(`h2 was added to ${file}`);
    expect(readFileSync(file, 'utf8')).to.equal(withNew);
    expect(statSync(file).mode & 0o777).to.equal(0o640);

    writeFileSync(file, base);
    const read = readSnapshot(file);
    writeFileSync(file, `${base}# edited\n`);
    const warning = writeBackNewHost(file, withNew, read, 'h2');
    expect(warning)
      .to.match(/changed on disk since fleet read it/)
      .and.include('add h2 to its hosts: by hand: - { name: h2, address: 10.0.0.2, role: agent }');
    expect(readFileSync(file, 'utf8')).to.equal(`${base}# edited\n`);
  });
});
