// Pure assembly of a HostFacts record from the facts script's sections. No I/O: gather.ts runs the
// script and hands the output here, so a whole host can be tested from a fixture of real output.
import { parseArch } from './arch.js';
import { clockOffsetMs, parseHostClockMs } from './clock.js';
import { parseClockSync } from './clock-sync.js';
import { parseDfAvailableBytes } from './data-dir-free.js';
import { parseDfInodes } from './data-dir-inodes.js';
import { parseMachineId } from './machine-id.js';
import { parseNetInterfaces } from './net-interfaces.js';
import { parseUid } from './host-identity.js';
import { parseK3sCerts } from './k3s-certs.js';
import { parseK3sConfig } from './k3s-config.js';
import { parseRegistriesFile } from './registries-file.js';
import { parseK3sDatastore } from './k3s-datastore.js';
import { parseK3sRole } from './k3s-role.js';
import { parseK3sServiceStates } from './k3s-service.js';
import { parseK3sBinary } from './k3s-version.js';
import { parseMemoryCgroup } from './memory-cgroup.js';
import { parseMemTotalBytes } from './meminfo.js';
import { parseOsRelease } from './os-release.js';
import { parseBootId } from './boot-id.js';
import { parseHostname } from './hostname.js';
import { parsePiCmdlinePath } from './pi-cmdline.js';
import { parsePiModel } from './pi-model.js';
import { splitSections } from './sections.js';
import type { HostFacts } from './types.js';

/** What the record says about a host nothing could be learned from. */
export function unreachableHostFacts(host: string, error: string): HostFacts {
  return {
    host,
    reachable: false,
    error,
    sudo: false,
    machine: '',
    os: { id: '' },
    memoryCgroup: false,
    memTotalBytes: 0,
    k3s: { installed: false, running: false, etcdData: false, sqliteData: false },
  };
}

export interface FactsRun {
  host: string;
  stdout: string;
  /** Local clock just before the script was sent and just after its output arrived. */
  sentMs: number;
  receivedMs: number;
  /** Why the script ran without root, when it did (sudo refused). */
  sudoError?: string;
}

export function assembleHostFacts(run: FactsRun): HostFacts {
  const sections = splitSections(run.stdout);
  const text = (name: string): string => sections.get(name)?.text ?? '';

  const uid = parseUid(text('identity'));
  const { machine, arch } = parseArch(text('arch'));
  const binary = parseK3sBinary(text('k3s-version'));
  const role = parseK3sRole(text('k3s-role'));
  const services = parseK3sServiceStates(text('k3s-service'));
  const datastore = parseK3sDatastore(text('k3s-datastore'));
  const config = parseK3sConfig(text('k3s-config'));

  const facts: HostFacts = {
    host: run.host,
    reachable: true,
    sudo: uid === 0,
    machine,
    os: parseOsRelease(text('os-release')),
    memoryCgroup: parseMemoryCgroup(text('memory-cgroup')),
    memTotalBytes: parseMemTotalBytes(text('meminfo')),
    k3s: {
      installed: binary.installed,
      running: isRunning(role, services),
      etcdData: datastore.etcdMember === 'yes',
      sqliteData: datastore.stateDb === 'yes',
    },
  };
  if (arch) facts.arch = arch;
  const hostname = parseHostname(text('hostname'));
  if (hostname) facts.hostname = hostname;
  const bootId = parseBootId(text('boot-id'));
  if (bootId) facts.bootId = bootId;
  if (run.sudoError) facts.sudoError = run.sudoError;
  const piModel = parsePiModel(text('pi-model'));
  if (piModel) {
    facts.piModel = piModel;
    const cmdlinePath = parsePiCmdlinePath(text('pi-cmdline'));
    if (cmdlinePath) facts.cmdlinePath = cmdlinePath;
  }
  if (binary.version) facts.k3s.version = binary.version;
  if (role) facts.k3s.role = role;
  if (config.config) facts.k3s.config = config.config;
  if (config.tokenHash) facts.k3s.tokenHash = config.tokenHash;
  if (config.agentTokenHash) facts.k3s.agentTokenHash = config.agentTokenHash;
  if (config.error) facts.k3s.configError = config.error;
  const certificates = parseK3sCerts(text('k3s-certs'));
  if (certificates.source !== 'none') facts.k3s.certificates = certificates;
  // Absent from the output (an older fixture): unknown, and then nothing is claimed about it.
  if (sections.has('registries-file')) facts.k3s.registries = parseRegistriesFile(text('registries-file'));

  const unreadable = [
    ...(config.status === 'unreadable' ? ['k3s.config'] : []),
    ...(datastore.etcdMember === 'unknown' ? ['k3s.etcdData'] : []),
    ...(datastore.stateDb === 'unknown' ? ['k3s.sqliteData'] : []),
  ];
  if (unreadable.length > 0) facts.unreadable = unreadable;

  const free = parseDfAvailableBytes(text('data-dir-free'));
  if (free !== undefined) facts.dataDirFreeBytes = free;
  assembleDoctorFacts(facts, text);
  const startMs = parseHostClockMs(text('clock-start'));
  const endMs = parseHostClockMs(text('clock-end'));
  if (startMs !== undefined) facts.hostClockMs = Math.round(startMs);
  if (startMs !== undefined && endMs !== undefined) {
    facts.clockOffsetMs = clockOffsetMs({ startMs, endMs }, { sentMs: run.sentMs, receivedMs: run.receivedMs });
  }

  const missing = ['identity', 'arch', 'meminfo', 'clock-end'].filter((name) => !sections.has(name));
  if (missing.length > 0) {
    facts.reachable = false;
    facts.error = `facts script output is incomplete (no ${missing.join(', ')} section)`;
  }
  return facts;
}

/** The service of the installed role decides; with no role known, either service running counts. */
function isRunning(role: 'server' | 'agent' | undefined, states: { k3s: string; 'k3s-agent': string }): boolean {
  if (role === 'server') return states.k3s === 'active';
  if (role === 'agent') return states['k3s-agent'] === 'active';
  return states.k3s === 'active' || states['k3s-agent'] === 'active';
}

/** The facts doctor judges (identity, clock service, inodes); absent sections leave them unset. */
function assembleDoctorFacts(facts: HostFacts, text: (name: string) => string): void {
  const inodes = parseDfInodes(text('data-dir-inodes'));
  if (inodes) facts.dataDirInodes = inodes;
  const machineId = parseMachineId(text('machine-id'));
  if (machineId) facts.machineId = machineId;
  const interfaces = parseNetInterfaces(text('net-interfaces'));
  if (interfaces.length > 0) facts.interfaces = interfaces;
  const sync = parseClockSync(text('clock-sync'));
  if (sync.source) facts.clockSync = sync;
}
