// Which kind of K3s is installed. The install script writes k3s-uninstall.sh for a server and
// k3s-agent-uninstall.sh for an agent, whatever the init system; unit and init files are the
// fallback for hand-made installs.
import type { FactProbe } from './probe.js';

export type K3sRole = 'server' | 'agent';

const SERVER_MARKERS = ['/usr/local/bin/k3s-uninstall.sh', '/etc/systemd/system/k3s.service', '/etc/init.d/k3s'];
const AGENT_MARKERS = ['/usr/local/bin/k3s-agent-uninstall.sh', '/etc/systemd/system/k3s-agent.service', '/etc/init.d/k3s-agent'];

/** From the list of marker paths that exist; markers are checked in order of trust. */
export function parseK3sRole(output: string): K3sRole | undefined {
  const present = new Set(output.split('\n').map((line) => line.trim()));
  for (let i = 0; i < SERVER_MARKERS.length; i++) {
    // A server marker wins a tie: mistaking a server for an agent risks its etcd data.
    if (present.has(SERVER_MARKERS[i]!)) return 'server';
    if (present.has(AGENT_MARKERS[i]!)) return 'agent';
  }
  return undefined;
}

export const k3sRoleProbe: FactProbe<K3sRole | undefined> = {
  name: 'k3s-role',
  script: [`for f in ${[...SERVER_MARKERS, ...AGENT_MARKERS].join(' ')}; do`, '  if [ -e "$f" ]; then echo "$f"; fi', 'done'].join('\n'),
  parse: parseK3sRole,
};
