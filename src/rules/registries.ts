// registries.yaml, pure: a host's registries (cluster.registries with the host's own merged
// over it) rendered as the file K3s reads at start, once with the credentials (only ever written
// into the 0600 file on the host) and once with them as <redacted> (plans, output, logs).
import { stringify } from 'yaml';
import type { RawRegistries } from '../inventory/registries-schema.js';

export const REGISTRIES_FILE = '/etc/rancher/k3s/registries.yaml';
/** The first line of every registries.yaml fleet writes: fleet removes only files that start so. */
export const REGISTRIES_HEADER = '# Written by fleet from the inventory (registries). Changes here are overwritten by the next `fleet up`.';
const REDACTED = '<redacted>';
const CREDENTIALS = ['password', 'auth', 'identitytoken'] as const;

export type Registries = RawRegistries;

/** The host's mirrors and configs replace the cluster's of the same registry name. */
export function mergeRegistries(cluster: Registries | undefined, host: Registries | undefined): Registries | undefined {
  if (cluster === undefined && host === undefined) return undefined;
  const merged: Registries = {};
  const mirrors = { ...cluster?.mirrors, ...host?.mirrors };
  const configs = { ...cluster?.configs, ...host?.configs };
  if (Object.keys(mirrors).length > 0) merged.mirrors = mirrors;
  if (Object.keys(configs).length > 0) merged.configs = configs;
  return merged;
}

/** The same registries with every credential replaced by <redacted>. */
export function redactRegistries(registries: Registries): Registries {
  if (!registries.configs) return registries;
  const configs = Object.fromEntries(
    Object.entries(registries.configs).map(([name, config]) => {
      if (!config.auth) return [name, config];
      const auth = { ...config.auth };
      for (const key of CREDENTIALS) if (auth[key] !== undefined) auth[key] = REDACTED;
      return [name, { ...config, auth }];
    }),
  );
  return { ...registries, configs };
}

/** The file's text (credentials included: write it only into the 0600 file). */
export function renderRegistriesYaml(registries: Registries): string {
  return `${REGISTRIES_HEADER}\n${stringify(registries, { lineWidth: 0 })}`;
}
