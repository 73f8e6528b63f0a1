// The lab: real OpenSSH hosts on this machine, each in its own namespaces at 127.0.1.N, for
// fleet's end-to-end tests and demo. `npm run lab` (cli.ts) is a thin wrapper over this class.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LAB_USER, SSH_PORT, hostSpecs, type HostEntry, type HostOptions, type HostSpec } from './host-spec.js';
import { prepareHostDir, prepareLabDir } from './host-layout.js';
import { bootHost, bootedWithOtherSpec, powerOff, runningInitPid } from './host-power.js';
import { renderInventory } from './inventory-file.js';
import { prepareMachine } from './machine-setup.js';
import { labFiles, resolveLabDir, type LabFiles } from './paths.js';
import { writeK3sVersions } from './versions.js';
import { killAndWait, mountsUnder, processesOfLab } from './processes.js';
import { startForwarder } from './registration-forwarder.js';
import { runCommand, type CommandResult, type RunOptions } from './run-command.js';
import { sshRun } from './ssh-client.js';

export interface LabUpOptions extends HostOptions {
  dir?: string;
  /** A fixed registration address (127.x.y.z) forwarding 6443 to the hosts that serve it. */
  registrationAddress?: string;
}

export interface HostStatus {
  name: string;
  address: string;
  up: boolean;
  k3s: 'running' | 'starting' | 'stopped';
}

export interface SshOptions extends RunOptions {
  /** Log in as this user instead of the lab user (root works too). */
  user?: string;
}

export interface EtcdctlOptions {
  /** Hosts whose etcd to ask (default: h1). */
  hosts?: string[];
  timeoutMs?: number;
}

const BOOT_PARALLELISM = 16;

export class Lab {
  private constructor(
    readonly files: LabFiles,
    readonly specs: HostSpec[],
  ) {}

  get dir(): string {
    return this.files.dir;
  }

  /** The first three octets shared by the hosts' addresses, e.g. 127.0.1. */
  get network(): string {
    return this.specs[0]!.address.split('.').slice(0, 3).join('.');
  }

  /** One entry of hosts.json. */
  host(name: string): HostEntry {
    const entry = this.hosts.find((h) => h.name === name);
    if (!entry) throw new Error(`lab: no host ${name} in ${this.files.dir}`);
    return entry;
  }

  /** What DIR/hosts.json holds. */
  get hosts(): HostEntry[] {
    return this.specs.map((spec) => ({
      name: spec.name,
      address: spec.address,
      port: SSH_PORT,
      user: LAB_USER,
      identityFile: this.files.identity,
      knownHostsFile: this.files.knownHosts,
      pi: spec.pi,
      slowDiskMs: spec.slowDiskMs,
    }));
  }

  /** Create or complete the lab; hosts already running are left alone. */
  static async up(options: LabUpOptions): Promise<Lab> {
    const files = labFiles(resolveLabDir(options.dir));
    const specs = hostSpecs(options);
    const user = prepareMachine();
    prepareLabDir(files);
    const lab = new Lab(files, specs);
    await lab.removeHostsNotIn(specs);
    // New looks take effect the way they would on a machine: at the next boot, which is now.
    for (const spec of specs) if (bootedWithOtherSpec(files, spec)) await powerOff(files, spec.name);
    writeFileSync(files.config, `${JSON.stringify({ specs }, null, 2)}\n`);
    for (const spec of specs) prepareHostDir(files, spec, user);
    lab.writeClientFiles();
    await inBatches(specs, BOOT_PARALLELISM, (spec) => bootHost(files, spec));
    if (options.registrationAddress !== undefined)
      await startForwarder(
        files,
        options.registrationAddress,
        specs.map((spec) => spec.address),
      );
    return lab;
  }

  /** An existing lab, from DIR/lab.json. */
  static open(dir?: string): Lab {
    const files = labFiles(resolveLabDir(dir));
    if (!existsSync(files.config)) throw new Error(`lab: no lab in ${files.dir} (run \`npm run lab -- up\` first)`);
    const { specs } = JSON.parse(readFileSync(files.config, 'utf8')) as { specs: HostSpec[] };
    return new Lab(files, specs);
  }

  /** Stop everything of the lab in DIR, however partly it is running, and delete DIR. */
  static async down(dir?: string): Promise<void> {
    const files = labFiles(resolveLabDir(dir));
    if (!existsSync(files.dir)) return;
    const hostsDir = join(files.dir, 'hosts');
    const names = existsSync(hostsDir) ? readdirSync(hostsDir) : [];
    for (const name of names) await powerOff(files, name);
    // Anything left that was started for a host of this lab (say its init.pid was lost) is marked.
    await killAndWait(processesOfLab(files.dir));
    for (const mountPoint of mountsUnder(files.dir).reverse()) await runCommand('umount', ['-l', mountPoint]);
    rmSync(files.dir, { recursive: true, force: true });
  }

  async down(): Promise<void> {
    await Lab.down(this.files.dir);
  }

  /** Power loss: every process of the host dies at once; its disk stays. */
  async crash(name: string): Promise<void> {
    await powerOff(this.files, this.spec(name).name);
  }

  /** Boot: sshd comes back, and k3s if it is installed and enabled. */
  async start(name: string): Promise<void> {
    await bootHost(this.files, this.spec(name));
  }

  /** Power cycle: crash then start (what a Pi needs after its cmdline.txt changes). */
  async reboot(name: string): Promise<void> {
    await this.crash(name);
    await this.start(name);
  }

  async status(): Promise<HostStatus[]> {
    return Promise.all(
      this.specs.map(async (spec) => {
        const pid = runningInitPid(this.files, spec.name);
        return { name: spec.name, address: spec.address, up: pid !== undefined, k3s: pid === undefined ? 'stopped' : await k3sState(pid) };
      }),
    );
  }

  /** Run a shell command on a host through the real ssh client. */
  sshExec(name: string, command: string, options: SshOptions = {}): Promise<CommandResult> {
    const spec = this.spec(name);
    const target = { address: spec.address, port: SSH_PORT, user: options.user ?? LAB_USER, identityFile: this.files.identity, knownHostsFile: this.files.knownHosts };
    return sshRun(target, command, options);
  }

  /** Like sshExec, but a non-zero exit is an error carrying the output. */
  async ssh(name: string, command: string, options: SshOptions = {}): Promise<string> {
    const result = await this.sshExec(name, command, options);
    if (result.code !== 0) throw new Error(`lab: \`${command}\` on ${name} exited ${result.code}\n${result.stderr}${result.stdout}`);
    return result.stdout;
  }

  /** Copy a local file to a host (as root, so any path works). */
  async upload(name: string, localPath: string, remotePath: string, mode = '0755'): Promise<void> {
    const quoted = `'${remotePath.replace(/'/g, `'\\''`)}'`;
    await this.ssh(name, `sudo sh -c "cat > ${quoted}.upload && chmod ${mode} ${quoted}.upload && mv ${quoted}.upload ${quoted}"`, { input: readFileSync(localPath) });
  }

  /** etcdctl (v3 API) against the etcd of the given hosts, from the machine. */
  etcdctl(args: string[], options: EtcdctlOptions = {}): Promise<CommandResult> {
    const endpoints = (options.hosts ?? ['h1']).map((name) => `http://${this.spec(name).address}:2379`).join(',');
    return runCommand('etcdctl', [`--endpoints=${endpoints}`, '--dial-timeout=2s', '--command-timeout=5s', ...args], {
      env: { ...process.env, ETCDCTL_API: '3' },
      timeoutMs: options.timeoutMs ?? 20000,
    });
  }

  private spec(name: string): HostSpec {
    const spec = this.specs.find((s) => s.name === name);
    if (!spec) throw new Error(`lab: no host ${name} in ${this.files.dir} (hosts: ${this.specs.map((s) => s.name).join(', ')})`);
    return spec;
  }

  private writeClientFiles(): void {
    const knownHosts = this.specs.map((spec) => {
      const [type, key] = readFileSync(join(this.files.hostDir(spec.name), 'ssh_host_ed25519_key.pub'), 'utf8')
        .trim()
        .split(/\s+/);
      return `${spec.address} ${type} ${key}\n`;
    });
    writeFileSync(this.files.knownHosts, knownHosts.join(''));
    writeFileSync(this.files.hostsJson, `${JSON.stringify(this.hosts, null, 2)}\n`);
    writeFileSync(this.files.inventory, renderInventory(this.hosts));
    writeK3sVersions(this.files.dir);
  }

  private async removeHostsNotIn(specs: HostSpec[]): Promise<void> {
    const hostsDir = join(this.files.dir, 'hosts');
    for (const name of readdirSync(hostsDir)) {
      if (specs.some((spec) => spec.name === name)) continue;
      await powerOff(this.files, name);
      rmSync(join(hostsDir, name), { recursive: true, force: true });
    }
  }
}

async function k3sState(initPid: number): Promise<HostStatus['k3s']> {
  const result = await runCommand('nsenter', ['-t', String(initPid), '-m', '-p', '-u', '/usr/bin/systemctl', 'is-active', 'k3s', 'k3s-agent'], { timeoutMs: 5000 });
  const states = result.stdout.split('\n');
  if (states.includes('active')) return 'running';
  if (states.includes('activating')) return 'starting';
  return 'stopped';
}

async function inBatches<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const errors: Error[] = [];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      await work(item).catch((error: Error) => errors.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  if (errors.length > 0) throw new Error(errors.map((error) => error.message).join('\n'));
}
