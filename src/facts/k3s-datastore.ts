// Whether this host already holds K3s datastore state: etcd member data (a server that must
// rejoin, never cluster-init) or a SQLite state.db (a single server to convert to etcd).
// The db directory is root-only (0700): without root its contents are unknown, not absent.
import type { FactProbe } from './probe.js';
import { keyValueLines } from './sections.js';

export type Presence = 'yes' | 'no' | 'unknown';

export interface K3sDatastoreFacts {
  etcdMember: Presence;
  stateDb: Presence;
}

function presence(value: string | undefined): Presence {
  return value === 'yes' || value === 'no' ? value : 'unknown';
}

export function parseK3sDatastore(output: string): K3sDatastoreFacts {
  const fields = keyValueLines(output);
  return { etcdMember: presence(fields.get('etcd-member')), stateDb: presence(fields.get('state-db')) };
}

export const k3sDatastoreProbe: FactProbe<K3sDatastoreFacts> = {
  name: 'k3s-datastore',
  script: [
    'db=/var/lib/rancher/k3s/server/db',
    'blocked=no',
    'for d in /var/lib/rancher /var/lib/rancher/k3s /var/lib/rancher/k3s/server "$db" "$db/etcd"; do',
    '  if [ -d "$d" ] && [ ! -x "$d" ]; then blocked=yes; fi',
    'done',
    'for pair in "etcd-member $db/etcd/member" "state-db $db/state.db"; do',
    '  key=${pair%% *}',
    '  path=${pair#* }',
    '  if [ -e "$path" ]; then echo "$key=yes"',
    '  elif [ "$blocked" = yes ]; then echo "$key=unknown"',
    '  else echo "$key=no"; fi',
    'done',
  ].join('\n'),
  parse: parseK3sDatastore,
};
