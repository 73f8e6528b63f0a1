// Clocks: a Pi has no real-time clock, and started before NTP answers its certificates are "not
// yet valid"; etcd warns over 1 s between peers; K3s refuses a clock before 1980. Each host's
// offset from this machine, the spread between servers, and whether the host says it is synced.
import type { HealthCheck } from '../../../rules/health-check.js';
import { CLOCK_REFUSE_SERVER_MS, CLOCK_WARN_MS } from '../../../rules/preflight.js';
import type { DoctorInput, DoctorSection } from '../types.js';
import { reachableHosts } from './reachable.js';

/** 1980-01-01T00:00:00Z: K3s refuses to start on a clock before it. */
export const CLOCK_FLOOR_MS = Date.UTC(1980, 0, 1);

const NTP_FIX = 'enable NTP and wait for it to sync: timedatectl set-ntp true (or start chrony / systemd-timesyncd)';

function seconds(ms: number): string {
  return `${ms >= 0 ? '+' : ''}${(ms / 1000).toFixed(1)} s`;
}

function byOffset(ms: number): 'ok' | 'warn' | 'fail' {
  const abs = Math.abs(ms);
  return abs > CLOCK_REFUSE_SERVER_MS ? 'fail' : abs > CLOCK_WARN_MS ? 'warn' : 'ok';
}

function offsetRows(input: DoctorInput): HealthCheck[] {
  return reachableHosts(input).flatMap(({ host, facts }): HealthCheck[] => {
    const base = { check: 'clock.offset', section: 'clock', host: host.name };
    if (facts.hostClockMs !== undefined && facts.hostClockMs < CLOCK_FLOOR_MS) {
      const when = new Date(facts.hostClockMs).toISOString();
      return [{ ...base, status: 'fail', value: when, message: `the host's clock says ${when}, before 1980: K3s refuses to start and every certificate is not yet valid`, fix: NTP_FIX }];
    }
    if (facts.clockOffsetMs === undefined) return [];
    const status = byOffset(facts.clockOffsetMs);
    const value = `offset ${seconds(facts.clockOffsetMs)}`;
    if (status === 'ok') return [{ ...base, status, value, message: "within 1 s of this machine's clock", data: { offsetMs: facts.clockOffsetMs } }];
    return [
      {
        ...base,
        status,
        value,
        message: `the clock is ${seconds(facts.clockOffsetMs)} off this machine's: ${status === 'fail' ? 'certificates are not yet valid or expired on one side, and etcd peers fall out' : 'etcd warns over 1 s between peers'}`,
        fix: NTP_FIX,
        data: { offsetMs: facts.clockOffsetMs },
      },
    ];
  });
}

function syncRows(input: DoctorInput): HealthCheck[] {
  return reachableHosts(input).map(({ host, facts }): HealthCheck => {
    const base = { check: 'clock.synchronized', section: 'clock', host: host.name };
    const sync = facts.clockSync;
    if (sync?.synchronized === true) return { ...base, status: 'ok', value: `yes (${sync.source})`, message: 'the host says its clock is synchronised' };
    if (sync?.synchronized === false) {
      return {
        ...base,
        status: 'warn',
        value: `no (${sync.source})`,
        message: 'the host says its clock is not synchronised: after a reboot without a real-time clock it may be far off',
        fix: NTP_FIX,
      };
    }
    return {
      ...base,
      status: 'warn',
      value: 'unknown',
      message: 'neither timedatectl, chronyc nor systemd-timesyncd answered: nothing keeps this clock right',
      fix: 'install and enable a time service (systemd-timesyncd or chrony)',
    };
  });
}

/** The largest difference between two servers' offsets: what etcd's peers see of each other. */
function spreadRows(input: DoctorInput): HealthCheck[] {
  const offsets = input.servers.flatMap((name) => {
    const f = input.facts.get(name);
    return f?.reachable && f.clockOffsetMs !== undefined ? [{ name, ms: f.clockOffsetMs }] : [];
  });
  if (offsets.length < 2) return [];
  const sorted = [...offsets].sort((a, b) => a.ms - b.ms);
  const low = sorted[0]!;
  const high = sorted[sorted.length - 1]!;
  const spread = high.ms - low.ms;
  const status = byOffset(spread);
  const value = `spread ${(spread / 1000).toFixed(1)} s`;
  const base = { check: 'clock.spread', section: 'clock', host: high.name, peer: low.name, value, data: { spreadMs: spread } };
  if (status === 'ok') return [{ ...base, status, message: 'the servers agree on the time within 1 s' }];
  return [{ ...base, status, message: `servers ${high.name} and ${low.name} are ${(spread / 1000).toFixed(1)} s apart: etcd warns over 1 s between peers`, fix: NTP_FIX }];
}

export const clockSection: DoctorSection = {
  name: 'clock',
  checks: (input) => [...offsetRows(input), ...syncRows(input), ...spreadRows(input)],
};
