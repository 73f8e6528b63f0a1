// The registration address gate: before any agent is pointed at cluster.registrationAddress,
// something must answer there on 6443 with a certificate that names the address and is signed by
// this cluster's CA. Checked from the host that is about to register through it (the agents reach
// the address from the hosts' network, not from the machine running fleet), with curl verifying
// the chain and the name against the CA read from the first server. Read-only on both hosts.
import { SafetyError } from '../../errors.js';
import { serverUrl } from '../../rules/host-config.js';
import { quoteShellWord } from '../../ssh/shell-quote.js';
import type { Transport } from '../../ssh/transport.js';

export const SERVER_CA_PATH = '/var/lib/rancher/k3s/server/tls/server-ca.crt';
/** A VIP (kube-vip) or a load balancer may need a little while after the first server is ready. */
export const DEFAULT_REGISTRATION_WAIT_MS = 30_000;
const ATTEMPT_SECONDS = 5;
const CURL_MISSING = 127;

export interface RegistrationCheck {
  address: string;
  /** The first server, ready: it holds the cluster CA. */
  server: Transport;
  /** A host about to register through the address. */
  from: Transport;
  waitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export type RegistrationOutcome = { checked: true } | { checked: false; why: string };

/** Resolves when the address answers as this cluster; SafetyError (exit 3) when it never does. */
export async function checkRegistrationAddress(check: RegistrationCheck): Promise<RegistrationOutcome> {
  const ca = await check.server.exec(`cat ${SERVER_CA_PATH}`, { sudo: true, timeoutMs: 15_000 });
  if (ca.exitCode !== 0 || !ca.stdout.includes('BEGIN CERTIFICATE')) {
    throw new SafetyError(
      `cannot read the cluster CA (${SERVER_CA_PATH}) on ${check.server.host} to check the registration address ${check.address}`,
      `check K3s on ${check.server.host} (journalctl -u k3s)`,
      check.server.host,
    );
  }
  const deadline = Date.now() + (check.waitMs ?? DEFAULT_REGISTRATION_WAIT_MS);
  const sleep = check.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  for (;;) {
    const result = await check.from.exec('sh -s', { stdin: probeScript(check.address, ca.stdout), timeoutMs: (ATTEMPT_SECONDS + 10) * 1000 });
    if (result.exitCode === 0 && result.stdout.trim() === 'pong') return { checked: true };
    if (result.exitCode === CURL_MISSING) return { checked: false, why: `curl is not installed on ${check.from.host}` };
    if (Date.now() >= deadline) throw refusal(check, describeCurlFailure(result.exitCode, result.stderr, check.address));
    await sleep(2_000);
  }
}

/** curl verifies the chain against the cluster CA and the address against the certificate's names. */
function probeScript(address: string, caPem: string): string {
  const url = quoteShellWord(`${serverUrl(address)}/ping`);
  return [
    'command -v curl > /dev/null 2>&1 || exit 127',
    'ca=$(mktemp) || exit 1',
    'cat > "$ca" <<\'FLEET_CA\'',
    caPem.trim(),
    'FLEET_CA',
    `curl --silent --show-error --max-time ${ATTEMPT_SECONDS} --cacert "$ca" ${url}`,
    'rc=$?',
    'rm -f "$ca"',
    'exit $rc',
    '',
  ].join('\n');
}

/** curl's exit codes, in the words of what is wrong at the address. */
export function describeCurlFailure(code: number | null, stderr: string, address: string): string {
  const detail = stderr.trim().split('\n').pop() ?? '';
  const why =
    code === 6
      ? `the name ${address} does not resolve`
      : code === 7
        ? 'nothing accepts connections on port 6443 there'
        : code === 28 || code === null
          ? 'nothing answered within the time limit'
          : code === 35
            ? 'the TLS handshake failed'
            : code === 51 || code === 60
              ? `the certificate there does not name ${address} or is not signed by this cluster's CA`
              : code === 0
                ? 'it answered, but not as the K3s supervisor (/ping did not say pong)'
                : `curl exited ${code}`;
  return detail ? `${why} (${detail})` : why;
}

function refusal(check: RegistrationCheck, why: string): SafetyError {
  return new SafetyError(
    `the registration address ${check.address} does not answer as this cluster's API, seen from ${check.from.host}: ${why}; no agent was changed`,
    `create the address before agents register through it: set cluster.vip: { address, interface } and fleet runs kube-vip on the servers, or point a load balancer (haproxy, nginx stream) or a DNS name at the servers' port 6443 (fleet puts the address in their tls-san); or remove cluster.registrationAddress so agents register with the first server`,
    check.from.host,
  );
}
