// All probes composed into one POSIX sh script: a host's facts cost one SSH round trip.
import { archProbe } from './arch.js';
import { clockEndProbe, clockStartProbe } from './clock.js';
import { clockSyncProbe } from './clock-sync.js';
import { dataDirFreeProbe } from './data-dir-free.js';
import { dataDirInodesProbe } from './data-dir-inodes.js';
import { machineIdProbe } from './machine-id.js';
import { netInterfacesProbe } from './net-interfaces.js';
import { bootIdProbe } from './boot-id.js';
import { hostnameProbe } from './hostname.js';
import { identityProbe } from './host-identity.js';
import { k3sCertsProbe } from './k3s-certs.js';
import { k3sConfigProbe } from './k3s-config.js';
import { registriesFileProbe } from './registries-file.js';
import { k3sDatastoreProbe } from './k3s-datastore.js';
import { k3sRoleProbe } from './k3s-role.js';
import { k3sServiceProbe } from './k3s-service.js';
import { k3sVersionProbe } from './k3s-version.js';
import { memoryCgroupProbe } from './memory-cgroup.js';
import { meminfoProbe } from './meminfo.js';
import { osReleaseProbe } from './os-release.js';
import { piCmdlineProbe } from './pi-cmdline.js';
import { piModelProbe } from './pi-model.js';
import type { FactProbe } from './probe.js';
import { frameSection } from './sections.js';

/** In run order; the clock readings bracket the rest so their midpoint sits mid-script. */
export const FACT_PROBES: ReadonlyArray<FactProbe<unknown>> = [
  clockStartProbe,
  identityProbe,
  hostnameProbe,
  bootIdProbe,
  archProbe,
  osReleaseProbe,
  piModelProbe,
  piCmdlineProbe,
  memoryCgroupProbe,
  meminfoProbe,
  k3sVersionProbe,
  k3sRoleProbe,
  k3sServiceProbe,
  k3sDatastoreProbe,
  k3sConfigProbe,
  k3sCertsProbe,
  registriesFileProbe,
  dataDirFreeProbe,
  dataDirInodesProbe,
  machineIdProbe,
  netInterfacesProbe,
  clockSyncProbe,
  clockEndProbe,
];

/** The facts script, streamed to `sh -s`. Read-only: it changes nothing on the host. */
export function factsScript(): string {
  return [
    '#!/bin/sh',
    '# fleet facts: read-only; each probe prints between @@fleet:begin/end markers.',
    'LC_ALL=C',
    'export LC_ALL',
    'PATH=$PATH:/usr/local/bin:/usr/sbin:/sbin',
    ...FACT_PROBES.map((probe) => frameSection(probe.name, probe.script)),
    '',
  ].join('\n');
}
