// `fleet exec --role`: explicit inventory roles decide alone; `role: auto` hosts are asked, with the
// facts' role probe, what K3s they have. A fake Transport answers the probe.
import { expect } from 'chai';
import { hostsByRole } from '../../../../src/ops/exec/hosts-by-role.js';
import { k3sRoleProbe } from '../../../../src/facts/k3s-role.js';
import { parseInventory } from '../../../../src/inventory/load.js';
import type { ExecOptions, ExecResult, Transport } from '../../../../src/ssh/transport.js';

const inventory = parseInventory(
  `cluster: { name: lab }
hosts:
  - { name: s1, address: 10.0.0.1, role: server }
  - { name: a1, address: 10.0.0.2, role: agent }
  - { name: auto-server, address: 10.0.0.3 }
  - { name: auto-agent, address: 10.0.0.4 }
  - { name: auto-bare, address: 10.0.0.5 }
  - { name: auto-gone, address: 10.0.0.6 }
`,
  '/nonexistent/inventory.yaml',
  { env: {}, home: '/home/tester', localUser: 'tester' },
);

/** What the role probe prints on each host: the marker files that exist there. */
const MARKERS: Record<string, string> = {
  s1: '/usr/local/bin/k3s-uninstall.sh\n',
  a1: '/usr/local/bin/k3s-agent-uninstall.sh\n',
  'auto-server': '/usr/local/bin/k3s-uninstall.sh\n/etc/systemd/system/k3s.service\n',
  'auto-agent': '/usr/local/bin/k3s-agent-uninstall.sh\n/etc/systemd/system/k3s-agent.service\n',
  'auto-bare': '',
};

class FakeTransport implements Transport {
  readonly calls: Array<{ command: string; options?: ExecOptions }> = [];
  constructor(readonly host: string) {}
  async exec(command: string, options?: ExecOptions): Promise<ExecResult> {
    this.calls.push({ command, ...(options ? { options } : {}) });
    const isProbe = command === 'sh -s' && options?.stdin === k3sRoleProbe.script;
    return { stdout: isProbe ? MARKERS[this.host]! : '', stderr: '', exitCode: isProbe ? 0 : 127, timedOut: false, durationMs: 1 };
  }
  async writeFile(): Promise<void> {}
  async upload(): Promise<void> {}
  async close(): Promise<void> {}
}

function fleet() {
  const transports = new Map<string, FakeTransport>();
  const asked: string[] = [];
  const transportFor = async (name: string): Promise<Transport> => {
    asked.push(name);
    if (name === 'auto-gone') throw new Error('connect ECONNREFUSED 10.0.0.6:22');
    if (!transports.has(name)) transports.set(name, new FakeTransport(name));
    return transports.get(name)!;
  };
  return { transports, asked, transportFor };
}

const everyHost = inventory.hosts.map((host) => host.name);

describe('exec: hosts by role (--role)', () => {
  it('--role server: explicit servers, and auto hosts with a K3s server installed', async () => {
    const { transportFor } = fleet();
    const selected = await hostsByRole(inventory, everyHost, 'server', transportFor, { concurrency: 2 });
    expect(selected.matched).to.deep.equal(['s1', 'auto-server']);
    expect(selected.skipped).to.deep.equal([
      { host: 'auto-agent', runs: 'agent' },
      { host: 'auto-bare', runs: 'none' },
    ]);
    expect(selected.failed).to.have.length(1);
    expect(selected.failed[0]!.host).to.equal('auto-gone');
    expect(selected.failed[0]!.error).to.contain('role: auto').and.contain('ECONNREFUSED');
  });

  it('--role agent: explicit agents, and auto hosts with a K3s agent installed', async () => {
    const { transportFor } = fleet();
    const selected = await hostsByRole(inventory, everyHost, 'agent', transportFor, { concurrency: 10 });
    expect(selected.matched).to.deep.equal(['a1', 'auto-agent']);
    expect(selected.skipped.map((s) => s.host)).to.deep.equal(['auto-server', 'auto-bare']);
  });

  it('asks only auto hosts, once each, with the facts role probe and without sudo', async () => {
    const { transports, asked, transportFor } = fleet();
    await hostsByRole(inventory, everyHost, 'server', transportFor, { concurrency: 3, timeoutMs: 5000 });
    expect(asked.sort()).to.deep.equal(['auto-agent', 'auto-bare', 'auto-gone', 'auto-server']);
    for (const transport of transports.values()) {
      expect(transport.calls, transport.host).to.have.length(1);
      expect(transport.calls[0]!.options).to.include({ stdin: k3sRoleProbe.script, timeoutMs: 5000 });
      expect(transport.calls[0]!.options?.sudo).to.not.equal(true);
    }
  });

  it('connects to nothing when every candidate has an explicit role', async () => {
    const { asked, transportFor } = fleet();
    const selected = await hostsByRole(inventory, ['s1', 'a1'], 'server', transportFor, { concurrency: 2 });
    expect(selected).to.deep.equal({ matched: ['s1'], skipped: [], failed: [] });
    expect(asked).to.deep.equal([]);
  });

  it('reports a probe that fails on the host as that host failing, not as skipped', async () => {
    const broken: Transport = {
      host: 'auto-bare',
      exec: async () => ({ stdout: '', stderr: 'sh: 1: cannot fork\n', exitCode: 2, timedOut: false, durationMs: 1 }),
      writeFile: async () => {},
      upload: async () => {},
      close: async () => {},
    };
    const selected = await hostsByRole(inventory, ['auto-bare'], 'server', async () => broken, { concurrency: 1 });
    expect(selected.matched).to.deep.equal([]);
    expect(selected.skipped).to.deep.equal([]);
    expect(selected.failed.map((f) => f.error)).to.deep.equal(['cannot tell whether it is a K3s server or agent (role: auto): role probe exited 2: sh: 1: cannot fork']);
  });
});
