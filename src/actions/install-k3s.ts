// Install (or reconfigure) K3s on one host: stage config.yaml (0600, holds the token), upload the
// air-gap script and binary when the inventory names them, then run playbooks/install-k3s.sh.
// Guarded by facts: a host whose K3s already matches the plan is not touched at all.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { CommandError, InputError } from '../errors.js';
import { tokenFingerprint } from '../facts/k3s-config.js';
import { readPlaybookFile } from '../facts/playbook-file.js';
import type { HostFacts } from '../facts/types.js';
import type { Arch, ClusterSpec } from '../inventory/types.js';
import type { PlannedHost } from '../ops/up/types.js';
import type { Transport } from '../ssh/transport.js';
import { isConverged } from '../rules/host-action.js';
import { renderConfigYaml } from './config-yaml.js';
import { installTimeoutMs } from './install-timeout.js';

export interface InstallInput {
  transport: Transport;
  planned: PlannedHost;
  facts: HostFacts | undefined;
  cluster: ClusterSpec;
  token: string;
  /** Generous: a download on a Pi over Wi-Fi takes minutes. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * An upgrade: config.yaml is left as it is (no token needed), and K3s is restarted even when
   * the install script sees nothing of its own changed (air-gapped, the binary is in place first).
   */
  upgrade?: boolean;
  /** registries.yaml: the file's text to put in place (holds credentials), or remove fleet's old one. */
  registries?: { content: string } | { remove: true };
}

export interface InstallOutcome {
  changed: string;
  exitCode: number | null;
}

/** The host runs the planned role, version, token and flags already (the plan's rule, by token). */
export function alreadyConverged(planned: PlannedHost, facts: HostFacts | undefined, cluster: ClusterSpec, token: string): boolean {
  return isConverged(planned, facts, cluster, tokenFingerprint(token));
}

export function binaryFor(cluster: ClusterSpec, arch: Arch | undefined, host: string): string | undefined {
  const binaries = cluster.install?.binary;
  if (!binaries) return undefined;
  const path = arch ? binaries[arch] : undefined;
  if (!path) {
    throw new InputError(
      `${host} is ${arch ?? 'of an unknown architecture'} but cluster.install.binary has no binary for it`,
      `add cluster.install.binary.${arch ?? '<arch>'}: path to the k3s binary for that architecture`,
    );
  }
  return path;
}

const sha256Cache = new Map<string, Promise<string>>();
function sha256File(path: string): Promise<string> {
  let hash = sha256Cache.get(path);
  if (!hash) {
    hash = new Promise((resolve, reject) => {
      const digest = createHash('sha256');
      createReadStream(path)
        .on('data', (chunk) => digest.update(chunk))
        .on('error', reject)
        .on('end', () => resolve(digest.digest('hex')));
    });
    sha256Cache.set(path, hash);
  }
  return hash;
}

export async function installK3s(input: InstallInput): Promise<InstallOutcome> {
  const { transport, planned, facts, cluster, token } = input;
  if (!input.upgrade && alreadyConverged(planned, facts, cluster, token)) return { changed: 'none', exitCode: 0 };

  const stage = `/tmp/fleet-${randomBytes(6).toString('hex')}`;
  const env: Record<string, string> = { FLEET_ROLE: planned.role, FLEET_CONFIG_STAGED: input.upgrade ? '' : `${stage}-config.yaml` };
  if (input.upgrade) Object.assign(env, { FLEET_KEEP_CONFIG: 'true', INSTALL_K3S_FORCE_RESTART: 'true' });
  if (cluster.k3s.version) env.INSTALL_K3S_VERSION = cluster.k3s.version;
  else if (cluster.k3s.channel) env.INSTALL_K3S_CHANNEL = cluster.k3s.channel;

  const binary = binaryFor(cluster, facts?.arch, planned.name); // may refuse: before anything is staged
  // The staging round trips are independent: run them at once on the host's one connection
  // (separate channels), since every server pays them on the critical path.
  const staging: Array<Promise<void>> = input.upgrade ? [] : [transport.writeFile(env.FLEET_CONFIG_STAGED!, renderConfigYaml(planned.config, token), { mode: 0o600, sudo: true })];
  if (input.registries && 'content' in input.registries) {
    env.FLEET_REGISTRIES_STAGED = `${stage}-registries.yaml`;
    staging.push(transport.writeFile(env.FLEET_REGISTRIES_STAGED, input.registries.content, { mode: 0o600, sudo: true }));
  } else if (input.registries) env.FLEET_REGISTRIES_REMOVE = 'true';
  if (cluster.install?.script) {
    env.FLEET_SCRIPT_STAGED = `${stage}-install.sh`;
    staging.push(transport.upload(cluster.install.script, env.FLEET_SCRIPT_STAGED, { mode: 0o700, sudo: true }));
  }
  if (binary) {
    const binaryStaged = `${stage}-k3s`;
    staging.push(
      remoteBinaryMatches(transport, binary).then(async (same) => {
        // The same bytes are installed already: no upload, and the install script must not download.
        if (same) env.INSTALL_K3S_SKIP_DOWNLOAD = 'true';
        else {
          env.FLEET_BINARY_STAGED = binaryStaged;
          await transport.upload(binary, binaryStaged, { mode: 0o755, sudo: true });
        }
      }),
    );
  }
  // Settle all before judging: no upload is left running, and a failed staging leaves no token
  // behind in /tmp (the install script removes the staged files only when it runs).
  const staged = await Promise.allSettled(staging);
  const failure = staged.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) {
    await transport.exec(`rm -f ${stage}-config.yaml ${stage}-registries.yaml ${stage}-install.sh ${stage}-k3s`, { sudo: true, timeoutMs: 30_000 }).catch(() => undefined);
    throw failure.reason;
  }

  const result = await transport.exec('sh -s', {
    stdin: readPlaybookFile('install-k3s.sh'),
    env,
    sudo: true,
    timeoutMs: input.timeoutMs ?? installTimeoutMs(),
    signal: input.signal,
  });
  if (result.timedOut) {
    throw new CommandError(
      planned.name,
      'install k3s',
      null,
      tail(result.stderr || result.stdout),
      `${planned.name}: install k3s timed out after ${Math.round((input.timeoutMs ?? installTimeoutMs()) / 1000)} s and was killed`,
    );
  }
  const resultLine = /^fleet-result:(.*)$/m.exec(result.stdout);
  if (result.exitCode !== 0 || !resultLine) {
    throw new CommandError(planned.name, 'install k3s', result.exitCode, tail(result.stderr || result.stdout));
  }
  return { changed: resultLine[1]!.trim() || 'none', exitCode: 0 };
}

async function remoteBinaryMatches(transport: Transport, localPath: string): Promise<boolean> {
  const [local, remote] = await Promise.all([sha256File(localPath), transport.exec('sha256sum /usr/local/bin/k3s 2>/dev/null || true', { sudo: true, timeoutMs: 60_000 })]);
  return remote.stdout.split(/\s+/)[0] === local;
}

export function tail(text: string, lines = 8): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}
