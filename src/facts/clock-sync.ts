// Whether the host says its clock is synchronised, from whichever time service it has:
// timedatectl (systemd-timesyncd or any NTP client systemd knows of), chronyc, or the flag file
// systemd-timesyncd leaves. A Pi has no real-time clock: until NTP answers, its time is wrong.
import type { FactProbe } from './probe.js';

export interface ClockSync {
  /** undefined: no time service answered, so nothing is known. */
  synchronized?: boolean;
  /** Which tool answered. */
  source?: 'timedatectl' | 'chronyc' | 'timesyncd';
}

/**
 * Lines of the probe: `timedatectl=yes|no`, `chronyc=<Leap status value>`, `timesyncd=yes|no`.
 * The first tool that answered decides; chrony's "Not synchronised" is its unsynchronised state.
 */
export function parseClockSync(output: string): ClockSync {
  for (const line of output.split('\n')) {
    const match = /^(timedatectl|chronyc|timesyncd)=(.*)$/.exec(line.trim());
    if (!match) continue;
    const [, source, value] = match as unknown as [string, ClockSync['source'], string];
    if (source === 'chronyc') return { source, synchronized: value.trim() !== '' && !/not synchronised/i.test(value) };
    if (value === 'yes' || value === 'no') return { source, synchronized: value === 'yes' };
  }
  return {};
}

export const clockSyncProbe: FactProbe<ClockSync> = {
  name: 'clock-sync',
  script: [
    'v=$(timedatectl show -p NTPSynchronized --value 2>/dev/null)',
    'if [ "$v" = yes ] || [ "$v" = no ]; then echo "timedatectl=$v"; exit 0; fi',
    "v=$(chronyc -n tracking 2>/dev/null | sed -n 's/^Leap status *: *//p')",
    'if [ -n "$v" ]; then echo "chronyc=$v"; exit 0; fi',
    'if [ -d /run/systemd/timesync ]; then if [ -e /run/systemd/timesync/synchronized ]; then echo timesyncd=yes; else echo timesyncd=no; fi; fi',
  ].join('\n'),
  parse: parseClockSync,
};
