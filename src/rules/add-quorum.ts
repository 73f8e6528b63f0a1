// Quorum arithmetic of adding servers to a running cluster: an add that leaves an even number of
// voters raises the quorum without raising the tolerance, so it is refused unless overridden.
import { quorumOf, type QuorumFigures } from './quorum.js';

export interface ServerAddCheck {
  before: QuorumFigures;
  after: QuorumFigures;
  /** The add leaves an even number of servers. */
  even: boolean;
  /** before → after in words, with the figures. */
  arithmetic: string;
  /** What to do instead, when `even`. */
  suggestion?: string;
}

const failures = (n: number) => `${n} failure${n === 1 ? '' : 's'}`;

export function checkServerAdd(currentServers: number, addedServers: number): ServerAddCheck {
  const before = quorumOf(currentServers);
  const after = quorumOf(currentServers + addedServers);
  const even = addedServers > 0 && after.servers % 2 === 0;
  const gain = after.faultTolerance > before.faultTolerance ? '' : ' (no gain in tolerance)';
  const arithmetic =
    `${before.servers} → ${after.servers} servers: quorum ${before.quorum} → ${after.quorum}, ` + `tolerates ${failures(before.faultTolerance)} → ${failures(after.faultTolerance)}${gain}`;
  const result: ServerAddCheck = { before, after, even, arithmetic };
  if (even) {
    const odd = quorumOf(after.servers + 1);
    result.suggestion = `add ${addedServers + 1} servers in one call instead (${before.servers} → ${odd.servers} tolerates ${failures(odd.faultTolerance)}), or pass --allow-even`;
  }
  return result;
}
