// CPU architecture from `uname -m`, mapped to the name of the K3s binary built for it.
import type { Arch } from '../inventory/types.js';
import type { FactProbe } from './probe.js';

const K3S_ARCH: Record<string, Arch> = {
  x86_64: 'amd64',
  amd64: 'amd64',
  aarch64: 'arm64',
  arm64: 'arm64',
  armv7l: 'arm',
  armv8l: 'arm',
};

/** `uname -m` as printed, and the K3s arch it maps to (undefined: K3s has no binary for it). */
export interface ArchFacts {
  machine: string;
  arch?: Arch;
}

export function parseArch(output: string): ArchFacts {
  const machine = output.trim();
  return { machine, arch: K3S_ARCH[machine] };
}

/** Why a machine type has no K3s binary, for the message that refuses the host. */
export function unsupportedArchReason(machine: string): string | undefined {
  if (K3S_ARCH[machine]) return undefined;
  if (machine === '') return 'the host did not report its machine type (uname -m)';
  // K3s builds its arm binary for ARMv7 and newer (k3s-io/k3s#2699): it dies with
  // "Illegal instruction" on a Pi Zero / Pi 1.
  if (machine.startsWith('armv6') || machine.startsWith('armv5')) {
    return `${machine} (Raspberry Pi Zero / 1) is not supported: K3s needs ARMv7 or newer`;
  }
  return `${machine} is not supported: K3s ships binaries for x86_64, aarch64 and armv7l`;
}

export const archProbe: FactProbe<ArchFacts> = {
  name: 'arch',
  script: 'uname -m',
  parse: parseArch,
};
