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

export const k3sVersionProbe: FactProbe<K3sBinaryFacts> = {
  name: 'k3s-version',
  // sudo's secure_path may lack /usr/local/bin, where the install script puts k3s.
  script: [
    'bin=$(command -v k3s 2>/dev/null) || bin=',
    'if [ -z "$bin" ] && [ -x /usr/local/bin/k3s ]; then bin=/usr/local/bin/k3s; fi',
    'if [ -n "$bin" ]; then',
    `  echo "${BINARY_PREFIX}$bin"`,
    '  if command -v timeout >/dev/null 2>&1; then timeout 20 "$bin" --version 2>&1; else "$bin" --version 2>&1; fi',
    'fi',
  ].join('\n'),
  parse: parseK3sBinary,
};
