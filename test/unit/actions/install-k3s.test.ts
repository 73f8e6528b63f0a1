// installK3s's staging logic with a recording fake Transport (step logic only; the lab proves the
// real install).
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterSpec } from '../../../src/inventory/types.js';
import type { PlannedHost } from '../../../src/ops/up/types.js';
import type { ExecOptions, ExecResult, Transport } from '../../../src/ssh/transport.js';
import { installK3s } from '../../../src/actions/install-k3s.js';

const TOKEN = 'unit-test-token-0123456789';

class StagingTransport implements Transport {
  readonly host = 'pi-1';
  readonly calls: Array<{ kind: string; path: string; start: number; end: number }> = [];
  readonly commands: Array<{ command: string; env: Record<string, string> }> = [];
  readonly written: Array<{ path: string; content: string; mode?: number }> = [];
  failUpload?: string;
  remoteSha = 'other';

  private async timed(kind: string, path: string, ms: number, fail = false): Promise<void> {
    const start = performance.now();
    await new Promise((resolve) => setTimeout(resolve, ms));
    this.calls.push({ kind, path, start, end: performance.now() });
    if (fail) throw new Error(`upload of ${path} failed on purpose`);
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    this.commands.push({ command, env: { ...options.env } });
    if (command.startsWith('sha256sum')) {
      await this.timed('sha256', '/usr/local/bin/k3s', 30);
      return { stdout: `${this.remoteSha}  /usr/local/bin/k3s\n`, stderr: '', exitCode: 0, timedOut: false, durationMs: 30 };
    }
    return { stdout: 'fleet-result: config install\n', stderr: '', exitCode: 0, timedOut: false, durationMs: 1 };
  }

  async writeFile(path: string, content: string | Buffer, options: { mode?: number } = {}): Promise<void> {
    this.written.push({ path, content: String(content), ...(options.mode !== undefined ? { mode: options.mode } : {}) });
    await this.timed('write', path, 30);
  }

  async upload(_local: string, path: string): Promise<void> {
    await this.timed('upload', path, 30, this.failUpload !== undefined && path.endsWith(this.failUpload));
  }

  async close(): Promise<void> {}
}

describe('steps/install-k3s: staging (fake transport)', () => {
  let dir: string;
  let cluster: ClusterSpec;
  const planned: PlannedHost = { name: 'pi-1', address: '10.0.0.1', role: 'server', reason: 'inventory', config: { 'cluster-init': true }, action: 'install', actionReason: 'K3s is not installed' };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleet-install-'));
    writeFileSync(join(dir, 'install.sh'), '#!/bin/sh\n');
    writeFileSync(join(dir, 'k3s'), 'not really k3s');
    cluster = {
      name: 'lab',
      k3s: { version: 'v1.31.4+k3s1' },
      tlsSan: [],
      allowEvenServers: false,
      config: {},
      agentConfig: {},
      disk: { maxFsyncP99Ms: 10, onSlow: 'refuse' },
      concurrency: 10,
      agentsWaitFor: 'first-server',
      install: { script: join(dir, 'install.sh'), binary: { amd64: join(dir, 'k3s'), arm64: join(dir, 'k3s'), arm: join(dir, 'k3s') } },
    };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stages config, script and binary at once, then runs the install with their paths', async () => {
    const transport = new StagingTransport();
    const outcome = await installK3s({ transport, planned, facts: undefined, cluster: { ...cluster, install: { ...cluster.install!, binary: { amd64: join(dir, 'k3s') } } }, token: TOKEN }).catch(
      (err: Error) => err,
    );
    // No arch in the facts: a binary per arch cannot be chosen, and nothing was staged.
    expect(outcome).to.be.instanceOf(Error);
    expect((outcome as Error).message).to.include('unknown architecture');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(transport.calls).to.deep.equal([]);

    const staged = new StagingTransport();
    const facts = { host: 'pi-1', reachable: true, arch: 'amd64' } as never;
    const result = await installK3s({ transport: staged, planned, facts, cluster, token: TOKEN });
    expect(result.changed).to.equal('config install');
    const kinds = staged.calls.map((c) => c.kind).sort();
    expect(kinds).to.deep.equal(['sha256', 'upload', 'upload', 'write']);
    // The config write, script upload and checksum overlap instead of running one after another.
    const write = staged.calls.find((c) => c.kind === 'write')!;
    const script = staged.calls.find((c) => c.path.endsWith('-install.sh'))!;
    expect(script.start).to.be.below(write.end);
    const run = staged.commands.find((c) => c.command === 'sh -s')!;
    expect(run.env.FLEET_CONFIG_STAGED).to.match(/^\/tmp\/fleet-[0-9a-f]{12}-config\.yaml$/);
    expect(run.env.FLEET_SCRIPT_STAGED).to.match(/-install\.sh$/);
    expect(run.env.FLEET_BINARY_STAGED).to.match(/-k3s$/);
    expect(run.env.INSTALL_K3S_SKIP_DOWNLOAD).to.equal(undefined);
    expect(JSON.stringify(staged.commands)).to.not.include(TOKEN);
  });

  it('uploads no binary when the host has the same bytes, and tells the script not to download', async () => {
    const transport = new StagingTransport();
    transport.remoteSha = createHash('sha256').update('not really k3s').digest('hex');
    const facts = { host: 'pi-1', reachable: true, arch: 'amd64' } as never;
    await installK3s({ transport, planned, facts, cluster, token: TOKEN });
    expect(transport.calls.filter((c) => c.kind === 'upload').map((c) => c.path))
      .to.have.length(1)
      .and.satisfy((paths: string[]) => paths[0]!.endsWith('-install.sh'));
    const run = transport.commands.find((c) => c.command === 'sh -s')!;
    expect(run.env.INSTALL_K3S_SKIP_DOWNLOAD).to.equal('true');
    expect(run.env.FLEET_BINARY_STAGED).to.equal(undefined);
  });

  it('on a failed upload, waits for the other stagings, removes the staged files and runs no install', async () => {
    const transport = new StagingTransport();
    transport.failUpload = '-install.sh';
    const facts = { host: 'pi-1', reachable: true, arch: 'amd64' } as never;
    const error = await installK3s({ transport, planned, facts, cluster, token: TOKEN }).catch((err: Error) => err);
    expect(error).to.be.instanceOf(Error);
    expect((error as Error).message).to.include('failed on purpose');
    expect(transport.calls.map((c) => c.kind).sort()).to.deep.equal(['sha256', 'upload', 'upload', 'write']);
    expect(transport.commands.some((c) => c.command === 'sh -s')).to.equal(false);
    const cleanup = transport.commands.find((c) => c.command.startsWith('rm -f'))!;
    expect(cleanup.command).to.match(/^rm -f \/tmp\/fleet-[0-9a-f]{12}-config\.yaml \S+-registries\.yaml \S+-install\.sh \S+-k3s$/);
  });

  it('stages registries.yaml 0600 beside config.yaml and names it only by path: its credentials reach no command or variable', async () => {
    const transport = new StagingTransport();
    const facts = { host: 'pi-1', reachable: true, arch: 'amd64' } as never;
    const content = '# Written by fleet from the inventory (registries).\nconfigs:\n  r.example:5000:\n    auth:\n      password: s3cret-registry-pass\n';
    await installK3s({ transport, planned, facts, cluster, token: TOKEN, registries: { content } });
    const staged = transport.written.find((w) => w.path.endsWith('-registries.yaml'))!;
    expect(staged.content).to.equal(content);
    expect(staged.mode).to.equal(0o600);
    const run = transport.commands.find((c) => c.command === 'sh -s')!;
    expect(run.env.FLEET_REGISTRIES_STAGED).to.equal(staged.path);
    expect(run.env.FLEET_REGISTRIES_REMOVE).to.equal(undefined);
    expect(JSON.stringify(transport.commands)).to.not.include('s3cret-registry-pass');
  });

  it("asks the playbook to remove fleet's registries.yaml when the inventory no longer sets registries", async () => {
    const transport = new StagingTransport();
    const facts = { host: 'pi-1', reachable: true, arch: 'amd64' } as never;
    await installK3s({ transport, planned, facts, cluster, token: TOKEN, registries: { remove: true } });
    const run = transport.commands.find((c) => c.command === 'sh -s')!;
    expect(run.env.FLEET_REGISTRIES_REMOVE).to.equal('true');
    expect(run.env.FLEET_REGISTRIES_STAGED).to.equal(undefined);
    expect(transport.written.some((w) => w.path.endsWith('-registries.yaml'))).to.equal(false);
  });
});
