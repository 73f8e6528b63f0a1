// The stand-in in several K3s versions: one copy of test/lab/standin/k3s per release with that
// version baked in, listed in DIR/k3s-versions.json ({ version: { binary } }). A host runs the
// version of the binary it was installed with, as with real K3s, so upgrades can be tested.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { standinBinary } from './paths.js';

/** Three consecutive minors (and a patch) for upgrades, and one before v1.22.2 for the SQLite gate. */
export const LAB_VERSIONS = ['v1.21.14+k3s1', 'v1.30.8+k3s1', 'v1.31.4+k3s1', 'v1.32.1+k3s1', 'v1.32.3+k3s1'] as const;

export type K3sVersions = Record<string, { binary: string }>;

export const versionsFile = (dir: string): string => join(dir, 'k3s-versions.json');

/** Bake every version into DIR/versions/k3s-<version> and write DIR/k3s-versions.json. */
export function writeK3sVersions(dir: string): K3sVersions {
  const source = readFileSync(standinBinary(), 'utf8');
  const marker = "BAKED_VERSION = ''";
  if (!source.includes(marker)) throw new Error(`lab: ${standinBinary()} has no ${marker} line to bake a version into`);
  mkdirSync(join(dir, 'versions'), { recursive: true });
  const versions: K3sVersions = {};
  for (const version of LAB_VERSIONS) {
    const binary = join(dir, 'versions', `k3s-${version}`);
    writeFileSync(binary, source.replace(marker, `BAKED_VERSION = '${version}'`));
    chmodSync(binary, 0o755);
    versions[version] = { binary };
  }
  writeFileSync(versionsFile(dir), `${JSON.stringify(versions, null, 2)}\n`);
  return versions;
}

/** The binary of one version of a lab in DIR. */
export function versionBinary(dir: string, version: string): string {
  const versions = JSON.parse(readFileSync(versionsFile(dir), 'utf8')) as K3sVersions;
  const entry = versions[version];
  if (!entry) throw new Error(`lab: no stand-in for ${version} in ${versionsFile(dir)} (have ${Object.keys(versions).join(', ')})`);
  return entry.binary;
}
