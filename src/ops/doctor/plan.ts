// doctor's judging: pure, from gathered facts to rows and the exit code. The sections are one
// explicit list; a new section (certificates, etcd) is one module added here.
import { healthExitCode, worstStatus } from '../../rules/health-check.js';
import { clockSection } from './sections/clock-section.js';
import { diskSection } from './sections/disk-section.js';
import { hostsSection } from './sections/hosts-section.js';
import { identitySection } from './sections/identity-section.js';
import type { DoctorInput, DoctorReport, DoctorSection } from './types.js';

export const SECTIONS: readonly DoctorSection[] = [hostsSection, identitySection, clockSection, diskSection];

export function judge(input: DoctorInput, sections: readonly DoctorSection[] = SECTIONS): DoctorReport {
  const checks = sections.flatMap((section) => section.checks(input));
  return { cluster: input.inventory.cluster.name, status: worstStatus(checks), exitCode: healthExitCode(checks), checks };
}
