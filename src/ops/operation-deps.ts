// What every operation receives from its caller (the CLI's run session, or a test): one shape for
// all of them, so a test double or a new operation never spells it out again. An operation that
// needs more (a confirm question, fresh connections after a reboot) extends it.
import type { Logger } from 'pino';
import type { DiskProbeOptions, DiskProbeResult } from '../facts/disk-probe.js';
import type { HostFacts } from '../facts/types.js';
import type { Progress } from '../engine/progress.js';
import type { Transport } from '../ssh/transport.js';

export interface OperationDeps {
  /** The connection to a host (one per host per run; the caller owns closing them). */
  transportFor: (name: string) => Promise<Transport>;
  progress?: Progress;
  logger?: Logger;
  signal?: AbortSignal;
  now?: () => number;
  /** Fact gathering and the disk probe; the real ones by default (tests may replace them). */
  gatherHostFacts?: (transport: Transport, options: { signal?: AbortSignal }) => Promise<HostFacts>;
  probeDisk?: (transport: Transport, options: DiskProbeOptions) => Promise<DiskProbeResult>;
}
