// Whether a k3s binary is installed, and its version from `k3s --version`, whose first line reads
// "k3s version v1.31.4+k3s1 (a562d090)".
import type { FactProbe } from './probe.js';

export interface K3sBinaryFacts {
  installed: boolean;
  /** "v1.31.4+k3s1" */
  version?: string;
}

const BINARY_PREFIX = 'binary=';

/** The version in `k3s --version` output, or undefined when there is none. */
export function parseK3sVersionOutput(output: string): string | undefined {
  return /^k3s version (v\S+)/m.exec(output)?.[1];
}

export function parseK3sBinary(output: string): K3sBinaryFacts {
  const installed = output.split('\n').some((line) => line.startsWith(BINARY_PREFIX));
  if (!installed) return { installed: false };
  const version = parseK3sVersionOutput(output);
  return version === undefined ? { installed } : { installed, version };
}

/** Written by playbooks/install-k3s.sh: "<path> <size> <ctime> <inode> <version>". */
export const VERSION_RECORD = '/var/lib/rancher/k3s/fleet-version';

export const k3sVersionProbe: FactProbe<K3sBinaryFacts> = {
  name: 'k3s-version',
  // sudo's secure_path may lack /usr/local/bin, where the install script puts k3s. The version
  // fleet recorded at install is used while the binary is still that very file (same size,
  // ctime and inode): starting k3s only for --version costs a second of CPU on a small Pi.
  script: [
    'bin=$(command -v k3s 2>/dev/null) || bin=',
    'if [ -z "$bin" ] && [ -x /usr/local/bin/k3s ]; then bin=/usr/local/bin/k3s; fi',
    'if [ -n "$bin" ]; then',
    `  echo "${BINARY_PREFIX}$bin"`,
    `  recorded=$(cat ${VERSION_RECORD} 2>/dev/null) || recorded=`,
    '  identity=$(stat -L -c \'%s %Z %i\' "$bin" 2>/dev/null) || identity=',
    '  if [ -n "$recorded" ] && [ -n "$identity" ] && [ "${recorded% *}" = "$bin $identity" ]; then',
    '    echo "k3s version ${recorded##* } (recorded by fleet at install)"',
    '  elif command -v timeout >/dev/null 2>&1; then timeout 20 "$bin" --version 2>&1; else "$bin" --version 2>&1; fi',
    'fi',
  ].join('\n'),
  parse: parseK3sBinary,
};
