// What `up` does with a host's registries.yaml, decided in the plan from the inventory's
// rendering and the host's facts (fingerprint and mode, never the content). K3s reads the file
// only at start, so on a running host any change is drift: the host restarts, servers one at a
// time and agents in batches, as every reconfiguration does.
import type { RegistriesFileFacts } from '../facts/registries-file.js';
import type { RegistriesFile } from '../inventory/types.js';
import { REGISTRIES_FILE } from './registries.js';

export interface PlannedRegistries {
  /** write: the inventory's file goes in place (0600); remove: fleet's old file goes; none: in place. */
  change: 'write' | 'remove' | 'none';
  /** Why, in words. */
  reason: string;
  /** The file as written, credentials as <redacted> (absent for remove). */
  redacted?: string;
  /** "sha256:<hex>" of the real file: what the facts must read after the write. */
  fingerprint?: string;
}

/**
 * undefined: fleet has nothing to do with registries.yaml here (none in the inventory, and none
 * of fleet's on the host: a hand-written one is left alone).
 */
export function planRegistries(wanted: RegistriesFile | undefined, installed: RegistriesFileFacts | undefined): PlannedRegistries | undefined {
  if (wanted === undefined) {
    if (installed?.status === 'present' && installed.fleet) {
      return { change: 'remove', reason: `the inventory sets no registries any more: fleet removes the ${REGISTRIES_FILE} it wrote (K3s reads it at start)` };
    }
    return undefined;
  }
  const planned = { redacted: wanted.redacted, fingerprint: wanted.fingerprint };
  if (installed === undefined) return { change: 'write', reason: `${REGISTRIES_FILE} written (0600) before K3s starts`, ...planned };
  if (installed.status === 'absent') return { change: 'write', reason: `${REGISTRIES_FILE} is new (0600)`, ...planned };
  if (installed.status !== 'present') return { change: 'write', reason: `${REGISTRIES_FILE} could not be read (${installed.status}): written again (0600)`, ...planned };
  if (installed.fingerprint !== wanted.fingerprint) {
    return { change: 'write', reason: `${REGISTRIES_FILE} differs from the inventory's${installed.fleet ? '' : ' (a file fleet did not write is replaced)'}`, ...planned };
  }
  if (installed.mode !== '600') return { change: 'write', reason: `${REGISTRIES_FILE} is mode ${installed.mode ?? 'unknown'}, not 0600 (it may hold credentials)`, ...planned };
  return { change: 'none', reason: `${REGISTRIES_FILE} is in place (0600)`, ...planned };
}
