// etcd quorum arithmetic.

export interface QuorumFigures {
  servers: number;
  quorum: number;
  faultTolerance: number;
}

export interface QuorumInfo {
  voters: number;
  quorum: number;
  faultTolerance: number;
}

/** The one quorum rule: etcd needs a majority of its voting members. */
export function majority(voters: number): number {
  return Math.floor(voters / 2) + 1;
}

/** The same rule for a live member list: learners do not vote, so they count for neither quorum nor tolerance. */
export function voterQuorum(members: ReadonlyArray<{ isLearner: boolean }>): QuorumInfo {
  const voters = members.filter((m) => !m.isLearner).length;
  const quorum = majority(voters);
  return { voters, quorum, faultTolerance: Math.max(0, voters - quorum) };
}

export function quorumOf(servers: number): QuorumFigures {
  if (!Number.isInteger(servers) || servers < 1) throw new RangeError(`a cluster needs at least one server, got ${servers}`);
  const quorum = majority(servers);
  return { servers, quorum, faultTolerance: servers - quorum };
}

/** "3 servers: quorum 2, tolerates 1 failure" */
export function describeQuorum(servers: number): string {
  const { quorum, faultTolerance } = quorumOf(servers);
  const tolerance = faultTolerance === 0 ? 'tolerates no failure' : `tolerates ${faultTolerance} failure${faultTolerance === 1 ? '' : 's'}`;
  return `${servers} server${servers === 1 ? '' : 's'}: quorum ${quorum}, ${tolerance}`;
}

/** Why an even count is worse than the odd count one below it, with the figures. */
export function explainEven(servers: number): string {
  const even = quorumOf(servers);
  const lower = quorumOf(servers - 1);
  const higher = quorumOf(servers + 1);
  return (
    `${servers} servers need a quorum of ${even.quorum} and tolerate ${even.faultTolerance} failure${even.faultTolerance === 1 ? '' : 's'}, ` +
    `the same as ${lower.servers} server${lower.servers === 1 ? '' : 's'} (quorum ${lower.quorum}); ` +
    `${higher.servers} servers would tolerate ${higher.faultTolerance}`
  );
}
