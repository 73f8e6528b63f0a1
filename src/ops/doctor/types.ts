// doctor's input and output as data: what the sections judge and what the table and --json show.
import type { FleetFacts } from '../../facts/types.js';
import type { Inventory } from '../../inventory/types.js';
import type { CheckStatus, HealthCheck } from '../../rules/health-check.js';

export interface DoctorInput {
  inventory: Inventory;
  /** Every host's facts; hosts down are in it with reachable: false. */
  facts: FleetFacts;
  /** The hosts that are, or would become, etcd servers (inventory order). */
  servers: string[];
}

/** One section of checks: pure, from the gathered data to rows. */
export interface DoctorSection {
  name: string;
  checks(input: DoctorInput): HealthCheck[];
}

export interface DoctorReport {
  cluster: string;
  status: CheckStatus;
  exitCode: 0 | 1 | 3;
  checks: HealthCheck[];
}
