// Phase: the token itself, read only when some step installs (a converged run needs no more than
// the fingerprint the plan compared). It must be the token the plan was made with.
import { SafetyError } from '../errors.js';
import { resolveToken } from './resolve-token.js';
import { tokenFingerprint } from '../facts/k3s-config.js';
import { isExistingServer } from '../rules/select-servers.js';
import { statePaths } from '../state/state-paths.js';
import type { RunContext } from '../ops/up/context.js';

const INSTALLS = new Set(['install-server', 'install-agent', 'convert-to-etcd']);

export async function resolveRunToken(ctx: RunContext): Promise<void> {
  const { plan, inventory, facts } = ctx;
  const installs = plan.steps.some((s) => s.changes && INSTALLS.has(s.action));
  if (!installs) return;
  const members = plan.hosts.filter((h) => h.role === 'server' && isExistingServer(facts.get(h.name))).map((h) => h.name);
  const { token, source } = await resolveToken(inventory, members, facts, ctx.deps.transportFor, statePaths(inventory).token, { installsNothingWith: () => false });
  // The plan compared each host with the members' token; a different one would reinstall them.
  const hashes = new Set(members.map((name) => facts.get(name)?.k3s.tokenHash).filter((h) => h !== undefined));
  if (hashes.size === 1 && !hashes.has(tokenFingerprint(token))) {
    throw new SafetyError(`the token read from the cluster is not the one its members' config.yaml hold (on ${members.join(', ')})`, "set cluster.token in the inventory to the cluster's token");
  }
  ctx.token = token;
  ctx.deps.logger?.info({ tokenSource: source }, 'token resolved');
}
