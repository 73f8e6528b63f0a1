// One row of a health check, as `fleet doctor` prints it and `fleet status` borrows it: what was
// checked, on which host or pair, how it came out, the measured value and the fix. Every section
// (network, clock, identity, disks, certificates, etcd) produces these, so one renderer and one
// exit rule (0 all ok, 1 warnings only, 3 a failure) serve them all.

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface HealthCheck {
  /** Which check, e.g. `network.port`, `clock.offset`, `etcd.fragmentation`. */
  check: string;
  /** The section it belongs to, e.g. `network`, `clock`, `identity`, `disk`, `certificates`, `etcd`. */
  section: string;
  /** The host it is about, or the source of a pair. */
  host?: string;
  /** The other end of a pair check (`host` → `peer`). */
  peer?: string;
  status: CheckStatus;
  /** The measured value in words ("p99 12.3 ms", "offset +0.4 s", "expires 2027-01-02"). */
  value: string;
  /** What it means, one sentence. */
  message: string;
  /** What to do about it; absent when ok. */
  fix?: string;
  /** Raw figures for --json. */
  data?: Record<string, unknown>;
}

const RANK: Record<CheckStatus, number> = { ok: 0, warn: 1, fail: 2 };

/** The worst status among the checks (ok when there are none). */
export function worstStatus(checks: readonly HealthCheck[]): CheckStatus {
  let worst: CheckStatus = 'ok';
  for (const check of checks) if (RANK[check.status] > RANK[worst]) worst = check.status;
  return worst;
}

/** doctor's exit code: 0 all ok, 1 warnings only, 3 a failure (docs/cli.md). */
export function healthExitCode(checks: readonly HealthCheck[]): 0 | 1 | 3 {
  const worst = worstStatus(checks);
  return worst === 'fail' ? 3 : worst === 'warn' ? 1 : 0;
}
