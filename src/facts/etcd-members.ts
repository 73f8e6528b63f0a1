// Parse etcd's JSON member list (the v3 gateway's /v3/cluster/member/list) and reason about quorum.

export interface EtcdMember {
  id: string;
  /** Empty while a member has been added but has not started yet. */
  name: string;
  peerURLs: string[];
  clientURLs: string[];
  isLearner: boolean;
}

export function parseMemberList(json: string): EtcdMember[] {
  const doc = JSON.parse(json) as {
    members?: Array<{ ID?: string | number; name?: string; peerURLs?: string[]; clientURLs?: string[]; isLearner?: boolean }>;
    error?: string;
    message?: string;
  };
  if (!Array.isArray(doc.members)) throw new Error(doc.error ?? doc.message ?? 'not an etcd member list');
  return doc.members.map((m) => ({
    id: String(m.ID ?? ''),
    name: m.name ?? '',
    peerURLs: m.peerURLs ?? [],
    clientURLs: m.clientURLs ?? [],
    isLearner: m.isLearner === true,
  }));
}

export function parseHealth(json: string): boolean {
  try {
    const doc = JSON.parse(json) as { health?: string | boolean };
    return doc.health === true || doc.health === 'true';
  } catch {
    return false;
  }
}

/** Host part of a URL, brackets removed for IPv6. */
export function urlHost(url: string): string {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return '';
  }
}

/** The member that runs on this address (matched by its peer URL, which K3s sets to the node IP). */
export function memberAt(members: EtcdMember[], address: string): EtcdMember | undefined {
  return members.find((m) => m.peerURLs.some((u) => urlHost(u) === address));
}
