// The installed /etc/rancher/k3s/registries.yaml: only its fingerprint, mode and whether fleet
// wrote it leave the host (the file may hold registry credentials), so the plan can tell a
// changed file from a converged one without reading the secrets.
import type { FactProbe } from './probe.js';
import { keyValueLines } from './sections.js';

export interface RegistriesFileFacts {
  status: 'absent' | 'unreadable' | 'present' | 'unknown';
  /** "sha256:<hex>" of the file's bytes. */
  fingerprint?: string;
  /** Permission bits in octal, e.g. "600". */
  mode?: string;
  /** Its first line is fleet's header: fleet wrote it and may remove it. */
  fleet?: boolean;
}

export function parseRegistriesFile(output: string): RegistriesFileFacts {
  const lines = output.split('\n').map((line) => line.trim());
  if (lines[0] === 'absent') return { status: 'absent' };
  if (lines[0] === 'unreadable') return { status: 'unreadable' };
  const fields = keyValueLines(output);
  const hash = fields.get('sha256');
  if (hash === undefined || !/^[0-9a-f]{64}$/.test(hash)) return { status: 'unknown' };
  const facts: RegistriesFileFacts = { status: 'present', fingerprint: `sha256:${hash}`, fleet: fields.get('fleet') === 'yes' };
  const mode = fields.get('mode');
  if (mode !== undefined && /^[0-7]{3,4}$/.test(mode)) facts.mode = mode;
  return facts;
}

export const registriesFileProbe: FactProbe<RegistriesFileFacts> = {
  name: 'registries-file',
  script: [
    'f=/etc/rancher/k3s/registries.yaml',
    'if [ ! -e "$f" ]; then echo absent',
    'elif [ ! -r "$f" ]; then echo unreadable',
    'else',
    '  echo "sha256=$(sha256sum "$f" | cut -d" " -f1)"',
    '  echo "mode=$(stat -c %a "$f")"',
    '  if head -n 1 "$f" | grep -q "^# Written by fleet from the inventory (registries)"; then echo fleet=yes; else echo fleet=no; fi',
    'fi',
  ].join('\n'),
  parse: parseRegistriesFile,
};
