// Whether the k3s / k3s-agent service is running: systemd's `systemctl is-active`, OpenRC's
// `rc-service … status` (the install script supports both), else unknown.
import type { FactProbe } from './probe.js';

/** State per service name as systemctl words it: active, inactive, failed, activating, unknown. */
export interface K3sServiceStates {
  k3s: string;
  'k3s-agent': string;
}

export function parseK3sServiceStates(output: string): K3sServiceStates {
  const states: K3sServiceStates = { k3s: 'unknown', 'k3s-agent': 'unknown' };
  for (const line of output.split('\n')) {
    const [service, state] = line.trim().split(/\s+/);
    if ((service === 'k3s' || service === 'k3s-agent') && state) states[service] = state;
  }
  return states;
}

export const k3sServiceProbe: FactProbe<K3sServiceStates> = {
  name: 'k3s-service',
  script: [
    'for s in k3s k3s-agent; do',
    '  if command -v systemctl >/dev/null 2>&1; then',
    '    state=$(systemctl is-active "$s" 2>/dev/null)',
    '  elif command -v rc-service >/dev/null 2>&1; then',
    '    if rc-service "$s" status >/dev/null 2>&1; then state=active; else state=inactive; fi',
    '  else',
    '    state=unknown',
    '  fi',
    '  printf \'%s %s\\n\' "$s" "${state:-unknown}"',
    'done',
  ].join('\n'),
  parse: parseK3sServiceStates,
};
