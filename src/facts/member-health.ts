// Each etcd member's own /health, asked from one live server (playbooks/etcd-member-health.sh).
import { readPlaybookFile } from './playbook-file.js';
import { execChecked } from '../ssh/exec-checked.js';
import type { Transport } from '../ssh/transport.js';
import { parseHealth, type EtcdMember } from './etcd-members.js';

/** Only URLs etcd itself could print reach the shell; anything else is left unasked. */
const SAFE_URL = /^https?:\/\/[A-Za-z0-9.:[\]-]+$/;

export function parseMemberHealth(stdout: string): Map<string, boolean> {
  const health = new Map<string, boolean>();
  for (const line of stdout.split('\n')) {
    const match = /^health (\S+) (\d+) ?(.*)$/.exec(line);
    if (match) health.set(match[1]!, match[2] === '0' && parseHealth(match[3]!));
  }
  return health;
}

/** IDs of the members whose /health says true. Learners answer too; callers decide what counts. */
export async function healthyMemberIds(transport: Transport, members: EtcdMember[], timeoutMs = 30_000): Promise<Set<string>> {
  const urls = members.map((m) => m.clientURLs[0]).filter((url): url is string => url !== undefined && SAFE_URL.test(url));
  if (urls.length === 0) return new Set();
  const result = await transport.exec('sh -s', { stdin: readPlaybookFile('etcd-member-health.sh'), env: { FLEET_CLIENT_URLS: urls.join(' ') }, sudo: true, timeoutMs });
  const byUrl = parseMemberHealth(result.stdout);
  return new Set(members.filter((m) => m.clientURLs[0] !== undefined && byUrl.get(m.clientURLs[0]) === true).map((m) => m.id));
}

export async function removeMember(transport: Transport, member: EtcdMember): Promise<void> {
  await execChecked(transport, `remove etcd member ${member.name || member.id}`, 'sh -s', {
    stdin: readPlaybookFile('etcd-member-remove.sh'),
    env: { FLEET_MEMBER_ID: member.id },
    sudo: true,
    timeoutMs: 30_000,
  });
}
