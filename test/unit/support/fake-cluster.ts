// A fake Transport per host over one simulated cluster, for unit tests of the executor's step
// logic (ordering, concurrency, failure handling). Not proof that fleet works: the lab is.
import type { HostFacts } from '../../../src/facts/types.js';
import type { ExecOptions, ExecResult, Transport } from '../../../src/ssh/transport.js';

export interface InstallEvent {
  host: string;
  role: string;
  start: number;
  end: number;
}

interface SimHost {
  name: string;
  address: string;
  role?: 'server' | 'agent';
  ready: boolean;
}

export class FakeCluster {
  readonly hosts = new Map<string, SimHost>();
  readonly events: InstallEvent[] = [];
  readonly writes: Array<{ host: string; path: string; content: string }> = [];
  readonly commands: Array<{ host: string; command: string; stdin: string }> = [];
  /** Hosts whose install fails. */
  readonly failInstall = new Set<string>();
  installMs = 15;
  private t0 = Date.now();

  constructor(hosts: Array<{ name: string; address: string }>) {
    for (const h of hosts) this.hosts.set(h.name, { ...h, ready: false });
  }

  now(): number {
    return Date.now() - this.t0;
  }

  facts(name: string, overrides: Partial<HostFacts> = {}): HostFacts {
    const sim = this.hosts.get(name)!;
    return {
      host: name,
      reachable: true,
      sudo: true,
      machine: 'x86_64',
      arch: 'amd64',
      os: { id: 'debian', versionId: '12' },
      memoryCgroup: true,
      memTotalBytes: 8e9,
      k3s: { installed: sim.role !== undefined, running: sim.role !== undefined, role: sim.role, etcdData: sim.role === 'server', sqliteData: false },
      dataDirFreeBytes: 50e9,
      clockOffsetMs: 3,
      ...overrides,
    };
  }

  transport(name: string): Transport {
    return new FakeTransport(this, name);
  }

  nodeListJson(): string {
    const items = [...this.hosts.values()]
      .filter((h) => h.role)
      .map((h) => ({
        metadata: {
          name: h.name,
          labels: h.role === 'server' ? { 'node-role.kubernetes.io/control-plane': 'true', 'node-role.kubernetes.io/etcd': 'true', 'node-role.kubernetes.io/master': 'true' } : {},
        },
        status: { conditions: [{ type: 'Ready', status: h.ready ? 'True' : 'False' }], nodeInfo: { kubeletVersion: 'v1.31.4+k3s1' }, addresses: [{ type: 'InternalIP', address: h.address }] },
      }));
    return JSON.stringify({ kind: 'List', items });
  }

  memberListJson(): string {
    const members = [...this.hosts.values()]
      .filter((h) => h.role === 'server')
      .map((h, i) => ({ ID: String(i + 1), name: `${h.name}-abc`, peerURLs: [`https://${h.address}:2380`], clientURLs: [`https://${h.address}:2379`] }));
    return JSON.stringify({ members });
  }
}

const frame = (name: string, text: string, rc = 0) => `@@fleet:begin ${name}@@\n${text}\n@@fleet:end ${name} rc=${rc}@@\n`;

class FakeTransport implements Transport {
  constructor(
    private readonly cluster: FakeCluster,
    readonly host: string,
  ) {}

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const stdin = typeof options.stdin === 'string' ? options.stdin : (options.stdin?.toString() ?? '');
    this.cluster.commands.push({ host: this.host, command, stdin });
    const ok = (stdout: string, exitCode = 0): ExecResult => ({ stdout, stderr: exitCode === 0 ? '' : 'failed on purpose', exitCode, timedOut: false, durationMs: 1 });
    if (stdin.includes('Install or reconfigure K3s')) {
      const start = this.cluster.now();
      await new Promise((r) => setTimeout(r, this.cluster.installMs));
      const event = { host: this.host, role: options.env?.FLEET_ROLE ?? '?', start, end: this.cluster.now() };
      this.cluster.events.push(event);
      if (this.cluster.failInstall.has(this.host)) return ok('', 4);
      const sim = this.cluster.hosts.get(this.host)!;
      sim.role = options.env?.FLEET_ROLE as 'server' | 'agent';
      sim.ready = true;
      return ok('fleet-result: config install\n');
    }
    if (stdin.includes('Read-only view of the cluster')) {
      return ok(frame('nodes', this.cluster.nodeListJson()) + frame('etcd-members', this.cluster.memberListJson()) + frame('etcd-health', '{"health":"true"}'));
    }
    if (command.startsWith('cat /etc/rancher/k3s/k3s.yaml')) {
      return ok('apiVersion: v1\nclusters:\n- cluster:\n    server: https://127.0.0.1:6443\n  name: default\nusers:\n- name: default\n  user: {token: x}\n');
    }
    if (command.startsWith('journalctl')) return ok('');
    return ok('');
  }

  async writeFile(path: string, content: string | Buffer): Promise<void> {
    this.cluster.writes.push({ host: this.host, path, content: content.toString() });
  }

  async upload(localPath: string, remotePath: string): Promise<void> {
    this.cluster.writes.push({ host: this.host, path: remotePath, content: `<upload ${localPath}>` });
  }

  async close(): Promise<void> {}
}
