// The disk probe: fdatasync latency where etcd will keep its WAL, measured on the host by
// playbooks/disk-probe.sh (fio, else the python3 probe it carries, else a refusal), run with
// `sh -s` in one round trip. Measuring writes a few hundred KB into a temporary directory.
import type { Transport } from '../ssh/transport.js';
import { parseFioReport } from './fio-report.js';
import { readPlaybookFile } from './playbook-file.js';
import type { DiskLatency } from './types.js';

export interface DiskProbeOptions {
  /** Where etcd will live; its nearest existing ancestor is measured. Default /var/lib/rancher/k3s/server/db. */
  directory?: string;
  /** Default 300. */
  maxWrites?: number;
  /** Default 20. */
  maxSeconds?: number;
  /** Default auto: fio when installed, else python3. */
  tool?: 'auto' | 'fio' | 'python3' | 'none';
}

export type DiskProbeResult = DiskLatency | { error: string };

const PY_DELIMITER = 'FLEET_DISK_PROBE_PY';

/** disk-probe.sh with disk-probe.py embedded as a quoted heredoc, ready for `sh -s`. */
export function diskProbeScript(): string {
  const python = readPlaybookFile('disk-probe.py');
  if (python.split('\n').includes(PY_DELIMITER)) throw new Error(`disk-probe.py must not contain a line ${PY_DELIMITER}`);
  const embedded = `FLEET_PROBE_PY=$(cat <<'${PY_DELIMITER}'\n${python.trimEnd()}\n${PY_DELIMITER}\n)\n`;
  const shell = readPlaybookFile('disk-probe.sh');
  // After the shebang and header comments, before the script body reads FLEET_PROBE_PY.
  const bodyStart = shell.indexOf('\nset -u\n');
  return shell.slice(0, bodyStart + 1) + embedded + shell.slice(bodyStart + 1);
}

/** The probe's parameters as the environment disk-probe.sh reads. */
export function diskProbeEnv(options: DiskProbeOptions = {}): Record<string, string> {
  const env: Record<string, string> = {};
  if (options.directory !== undefined) env.FLEET_PROBE_DIR = options.directory;
  if (options.maxWrites !== undefined) env.FLEET_PROBE_MAX_WRITES = String(options.maxWrites);
  if (options.maxSeconds !== undefined) env.FLEET_PROBE_MAX_SECONDS = String(options.maxSeconds);
  if (options.tool !== undefined) env.FLEET_PROBE_TOOL = options.tool;
  return env;
}

/** The probe's one JSON line (the last line that parses as JSON) → latency figures or why not. */
export function parseDiskProbe(stdout: string): DiskProbeResult {
  const line = stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('{'))
    .pop();
  if (line === undefined) return { error: 'the disk probe printed no result' };
  let result: Record<string, unknown>;
  try {
    result = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { error: 'the disk probe printed a result that is not JSON' };
  }
  const directory = typeof result.directory === 'string' ? result.directory : '';
  if (typeof result.error === 'string') return { error: result.error };
  if (result.tool === 'fio') {
    const fio = parseFioReport(result.fio);
    return 'error' in fio ? fio : { ...fio, directory };
  }
  if (result.tool === 'python3') {
    const { p99Ms, p50Ms, samples } = result;
    if (typeof p99Ms === 'number' && typeof p50Ms === 'number' && typeof samples === 'number' && samples > 0) {
      return { tool: 'python3', p99Ms, p50Ms, samples, directory };
    }
    return { error: 'the python3 disk probe printed an incomplete result' };
  }
  return { error: `the disk probe used an unknown tool: ${String(result.tool)}` };
}

/**
 * Runs the probe on the host as root (it writes under /var/lib). Resolves with the figures or
 * with { error } (no tool, host unreachable, timeout); never rejects for the host's failure.
 */
export async function probeDiskLatency(transport: Transport, options: DiskProbeOptions = {}): Promise<DiskProbeResult> {
  // fio's setup and python's start-up come on top of the probe's own time bound.
  const timeoutMs = ((options.maxSeconds ?? 20) + 40) * 1000;
  try {
    const result = await transport.exec('sh -s', {
      stdin: diskProbeScript(),
      env: diskProbeEnv(options),
      sudo: true,
      timeoutMs,
    });
    if (result.timedOut) return { error: `the disk probe timed out after ${timeoutMs} ms` };
    const parsed = parseDiskProbe(result.stdout);
    if ('error' in parsed && result.stderr.trim()) {
      return { error: `${parsed.error} (${result.stderr.trim().split('\n').slice(-2).join(' | ')})` };
    }
    return parsed;
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}
