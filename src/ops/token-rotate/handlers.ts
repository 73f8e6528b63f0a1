// The rotation's step handlers, bound to one run: the tokens travel only as environment on stdin
// (Transport.exec's env), into playbooks that hand them to curl's config or printf (builtins).
import { setTimeout as sleep } from 'node:timers/promises';
import { tail } from '../../actions/install-k3s.js';
import { waitForNodes, waitForServer } from '../../actions/wait-ready.js';
import { writeConfigToken } from '../../actions/write-token.js';
import { CommandError } from '../../errors.js';
import type { StepHandler } from '../../engine/run-steps.js';
import type { Step, StepResult } from '../../engine/step.js';
import { readPlaybookFile } from '../../facts/playbook-file.js';
import { bootstrapPrefix, readTokenState } from '../../facts/token-state.js';
import { tokenFingerprint } from '../../facts/k3s-config.js';
import type { Transport } from '../../ssh/transport.js';
import type { TokenRotatePlan } from './types.js';

export interface TokenRotateRun {
  plan: TokenRotatePlan;
  hosts: Array<{ name: string; address: string }>;
  newToken: string;
  /** Undefined when fleet has no copy of the old token (a resumed run that never had it). */
  oldToken?: string;
  transportFor: (name: string) => Promise<Transport>;
  signal?: AbortSignal;
  readyTimeoutMs: number;
  /** fleet's own copy: replaced at the very end, once every host has the new token. */
  keepToken: () => string;
}

const apiUrl = (address: string): string => `https://${address.includes(':') ? `[${address}]` : address}:6443`;

async function playbook(transport: Transport, file: string, env: Record<string, string>, timeoutMs = 120_000) {
  return transport.exec('sh -s', { stdin: readPlaybookFile(file), env, sudo: true, timeoutMs });
}

async function restartUnit(transport: Transport, unit: string): Promise<void> {
  // A server's unit is Type=notify: restart returns once it is up (or failed); an agent's is exec.
  const result = await transport.exec(`systemctl restart ${unit}`, { sudo: true, timeoutMs: 10 * 60_000 });
  if (result.exitCode !== 0) {
    const journal = await transport.exec(`journalctl -u ${unit} -n 15 --no-pager`, { sudo: true, timeoutMs: 20_000 }).catch(() => undefined);
    throw new CommandError(transport.host, `systemctl restart ${unit}`, result.exitCode, tail(journal?.stdout || result.stderr));
  }
}

export function tokenRotateHandlers(run: TokenRotateRun): Record<string, StepHandler> {
  const host = (name: string) => run.hosts.find((h) => h.name === name)!;
  const role = (name: string) => run.plan.hosts.find((h) => h.name === name)!.role;
  const servers = run.plan.hosts.filter((h) => h.role === 'server').map((h) => h.name);
  const newFingerprint = tokenFingerprint(run.newToken);
  return {
    'rotate-token': async (step): Promise<StepResult> => {
      const transport = await run.transportFor(step.host);
      // The guard, read just before acting: a rotation that already happened is never repeated.
      const state = await readTokenState(transport);
      if (state.bootstrapPrefixes?.includes(bootstrapPrefix(newFingerprint))) return { changed: 'none' };
      const result = await playbook(transport, 'token-rotate.sh', { FLEET_OLD_TOKEN: run.oldToken ?? '', FLEET_NEW_TOKEN: run.newToken, FLEET_API_URL: apiUrl(host(step.host).address) });
      const lines = result.stdout.trim().split('\n');
      const status = lines.pop()?.trim();
      if (result.exitCode !== 0 || status !== '200') {
        throw new CommandError(
          step.host,
          'k3s token rotate (PUT /v1-k3s/token)',
          result.exitCode,
          tail(`${lines.join('\n')}\n${result.stderr}`),
          `${step.host}: K3s refused the rotation (HTTP ${status || 'no answer'}): ${lines.join(' ').trim() || result.stderr.trim()}`,
        );
      }
      return { changed: 'rotated' };
    },
    'write-token': async (step) => writeConfigToken(await run.transportFor(step.host), run.newToken),
    'restart-k3s': async (step): Promise<StepResult> => {
      await restartUnit(await run.transportFor(step.host), role(step.host) === 'server' ? 'k3s' : 'k3s-agent');
      return { changed: 'restarted' };
    },
    'wait-ready': async (step): Promise<StepResult> => {
      if (role(step.host) === 'server') await waitForServer(await run.transportFor(step.host), host(step.host), { timeoutMs: run.readyTimeoutMs, signal: run.signal });
      else await waitAgent(run, step, servers);
      return {};
    },
    'verify-token': async (): Promise<StepResult> => {
      for (const name of servers) await verifyOn(run, name, host(name).address);
      return {};
    },
    'keep-token': async (): Promise<StepResult> => ({ changed: run.keepToken() }),
  };
}

/** An agent counts once a server sees its node Ready and its service stays up (a refused token ends it at start). */
async function waitAgent(run: TokenRotateRun, step: Step, servers: string[]): Promise<void> {
  const agent = await run.transportFor(step.host);
  const spec = run.hosts.find((h) => h.name === step.host)!;
  for (let check = 0; check < 3; check++) {
    await sleep(1500);
    const active = await agent.exec('systemctl is-active k3s-agent', { sudo: true, timeoutMs: 20_000 });
    if (active.stdout.trim() !== 'active') {
      const journal = await agent.exec('journalctl -u k3s-agent -n 15 --no-pager', { sudo: true, timeoutMs: 20_000 }).catch(() => undefined);
      throw new CommandError(step.host, 'wait for agent', null, tail(journal?.stdout ?? ''), `${step.host}: k3s-agent is ${active.stdout.trim() || 'not active'} after its restart`);
    }
  }
  const result = await waitForNodes(await run.transportFor(servers[0]!), [spec], { timeoutMs: run.readyTimeoutMs, signal: run.signal });
  if (result.notReady.size > 0) throw new CommandError(step.host, 'wait for agent', null, '', `${step.host}: ${result.notReady.get(step.host)}`);
}

async function verifyOn(run: TokenRotateRun, name: string, address: string): Promise<void> {
  const result = await playbook(
    await run.transportFor(name),
    'token-verify.sh',
    { FLEET_NEW_TOKEN: run.newToken, FLEET_OLD_TOKEN: run.oldToken ?? run.newToken, FLEET_API_URL: apiUrl(address) },
    60_000,
  );
  const status = (kind: string) => new RegExp(`^${kind} (\\d+)$`, 'm').exec(result.stdout)?.[1];
  if (status('new') !== '200') throw new CommandError(name, 'verify the new token', result.exitCode, '', `${name}: the new token was not accepted (HTTP ${status('new') ?? 'no answer'})`);
  if (run.oldToken !== undefined && status('old') !== '401')
    throw new CommandError(name, 'verify the old token', result.exitCode, '', `${name}: the old token is still accepted (HTTP ${status('old') ?? 'no answer'})`);
}
