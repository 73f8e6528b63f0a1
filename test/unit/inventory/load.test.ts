import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, InventoryError } from '../../../src/errors.js';
import { loadInventory, MAX_INVENTORY_BYTES } from '../../../src/inventory/load.js';
import { HOME, issuesOf, loadText, MINIMAL, tempDir } from './support.js';

describe('inventory: load and resolve', () => {
  it('applies every default to a minimal inventory', () => {
    const inventory = loadText(MINIMAL);
    expect(inventory.cluster).to.deep.include({
      name: 'lab',
      k3s: { channel: 'stable' },
      tlsSan: [],
      allowEvenServers: false,
      config: {},
      agentConfig: {},
      disk: { maxFsyncP99Ms: 10, onSlow: 'refuse' },
      concurrency: 10,
      agentsWaitFor: 'first-server',
    });
    expect(inventory.cluster.token).to.equal(undefined);
    const host = inventory.hosts[0]!;
    expect(host).to.deep.include({ name: 'pi-1', address: '10.0.0.1', role: 'auto', init: false, config: {}, labels: {}, index: 0 });
    expect(host.ssh).to.deep.include({ user: 'tester', port: 22, knownHostsFile: `${HOME}/.ssh/known_hosts` });
    expect(host.ssh.identityFile).to.equal(undefined);
    expect([...(host.ssh.explicit ?? [])]).to.deep.equal([]);
  });

  it('merges defaults.ssh with per-host ssh, expands ~ and resolves relative paths against the file', () => {
    const dir = tempDir();
    const inventory = loadText(
      `cluster: { name: lab }
defaults:
  ssh: { user: pi, port: 2222, identityFile: ~/.ssh/id_ed25519, knownHostsFile: ./known_hosts }
hosts:
  - { name: a, address: 10.0.0.1, ssh: { user: admin, proxyJump: "jump@bastion.example.net:22" } }
  - { name: b, address: 10.0.0.2 }
`,
      { dir },
    );
    const [a, b] = inventory.hosts;
    expect(a!.ssh).to.deep.include({ user: 'admin', port: 2222, identityFile: `${HOME}/.ssh/id_ed25519`, knownHostsFile: join(dir, 'known_hosts'), proxyJump: 'jump@bastion.example.net:22' });
    expect(b!.ssh.user).to.equal('pi');
    expect([...b!.ssh.explicit!].sort()).to.deep.equal(['identityFile', 'knownHostsFile', 'port', 'user']);
    expect(inventory.dir).to.equal(dir);
  });

  it('does not require the SSH identity file to exist (checked only when connecting)', () => {
    const inventory = loadText(`cluster: { name: lab }\ndefaults: { ssh: { identityFile: /nonexistent/key } }\nhosts: [{ name: a, address: 10.0.0.1 }]\n`);
    expect(inventory.hosts[0]!.ssh.identityFile).to.equal('/nonexistent/key');
  });

  it('defaults the disk hint from the kind and keeps an explicit hint', () => {
    const inventory = loadText(`cluster: { name: lab }
hosts:
  - { name: a, address: 10.0.0.1, kind: pi }
  - { name: b, address: 10.0.0.2, kind: x86 }
  - { name: c, address: 10.0.0.3, kind: pi, disk: nvme }
  - { name: d, address: 10.0.0.4 }
`);
    expect(inventory.hosts.map((host) => host.disk)).to.deep.equal(['sd', 'ssd', 'nvme', undefined]);
  });

  it('reads ${VAR} from the injected environment and remembers that the token came from it', () => {
    const inventory = loadText(`cluster: { name: lab, token: "\${K3S_TOKEN}" }\nhosts: [{ name: a, address: "\${PI_ADDRESS}" }]\n`, {
      env: { K3S_TOKEN: 'K10abc::server:secret', PI_ADDRESS: '10.1.2.3' },
    });
    expect(inventory.cluster.token).to.equal('K10abc::server:secret');
    expect(inventory.cluster.tokenSource).to.equal('env');
    expect(inventory.hosts[0]!.address).to.equal('10.1.2.3');
  });

  it('reads tokenFile relative to the inventory, without its trailing newline', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'secrets'));
    writeFileSync(join(dir, 'secrets', 'token'), 'from-the-file\n');
    const inventory = loadText(`cluster: { name: lab, tokenFile: secrets/token }\nhosts: [{ name: a, address: 10.0.0.1 }]\n`, { dir });
    expect(inventory.cluster.token).to.equal('from-the-file');
    expect(inventory.cluster.tokenSource).to.equal('file');
  });

  it('resolves air-gap install files, a single binary meaning every arch', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'install.sh'), '#!/bin/sh\n');
    writeFileSync(join(dir, 'k3s'), 'binary');
    const inventory = loadText(`cluster: { name: lab, install: { script: ./install.sh, binary: ./k3s } }\nhosts: [{ name: a, address: 10.0.0.1 }]\n`, { dir });
    expect(inventory.cluster.install).to.deep.equal({
      script: join(dir, 'install.sh'),
      binary: { amd64: join(dir, 'k3s'), arm64: join(dir, 'k3s'), arm: join(dir, 'k3s') },
    });
  });

  it('keeps a pinned version instead of the default channel, and labels as strings', () => {
    const inventory = loadText(`cluster: { name: lab, k3s: { version: v1.31.4+k3s1 } }\nhosts: [{ name: a, address: 10.0.0.1, labels: { rack: 3, spare: true, empty: "" } }]\n`);
    expect(inventory.cluster.k3s).to.deep.equal({ version: 'v1.31.4+k3s1' });
    expect(inventory.hosts[0]!.labels).to.deep.equal({ rack: '3', spare: 'true', empty: '' });
  });

  it('reports a missing file as InputError naming the path', () => {
    expect(() => loadInventory('/nonexistent/inventory.yaml')).to.throw(InputError, /\/nonexistent\/inventory\.yaml: no such file/);
  });

  it('refuses a file larger than the limit without parsing it', () => {
    const dir = tempDir();
    const file = join(dir, 'huge.yaml');
    writeFileSync(file, `# ${'x'.repeat(MAX_INVENTORY_BYTES)}\n`);
    expect(() => loadInventory(file)).to.throw(InputError, /at most/);
  });

  it('throws InventoryError with the file and every issue', () => {
    try {
      loadText('cluster: { name: BAD }\nhosts: [{ name: a, address: "not an address" }]\n');
      expect.fail('should have thrown');
    } catch (error) {
      expect(error).to.be.instanceOf(InventoryError);
      expect((error as InventoryError).file).to.match(/inventory\.yaml$/);
      expect((error as InventoryError).issues).to.have.length(2);
      expect((error as InventoryError).exitCode).to.equal(2);
    }
  });

  it('never shows the token in an issue, even when the token itself is the problem', () => {
    const secret = 'has spaces in it secret-value';
    const issues = issuesOf(`cluster: { name: lab, token: "${secret}" }\nhosts: [{ name: a, address: 10.0.0.1 }]\n`);
    expect(issues).to.have.length(1);
    expect(JSON.stringify(issues)).not.to.contain('secret-value');
    expect(issues[0]!.path).to.equal('cluster.token');
  });
});
