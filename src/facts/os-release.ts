// Operating system from /etc/os-release (a shell-compatible KEY=value file, values maybe quoted).
import type { HostFacts } from './types.js';
import type { FactProbe } from './probe.js';

export type OsFacts = HostFacts['os'];

/** Unquote one os-release value: "double" (with \-escapes), 'single' or bare. */
function unquote(raw: string): string {
  const value = raw.trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(["\\$`])/g, '$1');
  }
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1);
  return value;
}

export function parseOsRelease(output: string): OsFacts {
  const fields = new Map<string, string>();
  for (const line of output.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) fields.set(match[1]!, unquote(match[2]!));
  }
  const os: OsFacts = { id: fields.get('ID') ?? '' };
  if (fields.has('VERSION_ID')) os.versionId = fields.get('VERSION_ID');
  if (fields.has('PRETTY_NAME')) os.prettyName = fields.get('PRETTY_NAME');
  return os;
}

export const osReleaseProbe: FactProbe<OsFacts> = {
  name: 'os-release',
  // /usr/lib/os-release is the fallback the os-release spec names.
  script: 'cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null',
  parse: parseOsRelease,
};
