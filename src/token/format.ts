// Would K3s take this value as its new server token? Checked before anything changes, because
// K3s before the k3s#12982 fix (k3s#12989) saved a malformed new token and only then refused it,
// leaving "bootstrap data already found and encrypted with different token" on the next restart.
// K3s takes a short token (the bare secret) or the secure form K10<CA hash>::server:<secret>
// (docs cli/token.md); a bootstrap token as `k3s token generate` prints it, [a-z0-9]{6}.[a-z0-9]{16},
// is an agent join token and fails K3s's normalisation ("must be in format
// K10<CA-HASH>::<USERNAME>:<PASSWORD> or <PASSWORD>").
import { tokenSecret } from '../facts/k3s-config.js';

/** What fleet writes into config.yaml and K3s's API unquoted: no quotes, spaces, colons or backslashes. */
const SECRET = /^[A-Za-z0-9._~+/=-]+$/;
const BOOTSTRAP_TOKEN = /^[a-z0-9]{6}\.[a-z0-9]{16}$/;
const SECURE = /^K10([0-9a-f]{64})::([a-z]+):(.*)$/;
/** Below this a token is guessable; K3s's own random tokens and fleet's are far longer. */
export const MIN_SECRET_LENGTH = 16;

export type TokenFormat = { ok: true } | { ok: false; reason: string };

/** `caHash`: the cluster CA's hash (from a server's token file), to check a K10 token's. */
export function checkTokenFormat(token: string, caHash: string | undefined): TokenFormat {
  const secure = SECURE.exec(token);
  if (token.startsWith('K10') && !secure) return { ok: false, reason: 'it starts with K10 but is not K10<64 hex CA hash>::server:<secret>' };
  if (secure) {
    if (secure[2] !== 'server') return { ok: false, reason: `a K10 token for user ${secure[2]}; the server token is K10<CA hash>::server:<secret>` };
    if (caHash !== undefined && secure[1] !== caHash) return { ok: false, reason: "its CA hash is not this cluster's CA hash (joining nodes would refuse the cluster)" };
  }
  const secret = tokenSecret(token);
  if (BOOTSTRAP_TOKEN.test(secret)) {
    return { ok: false, reason: 'it is a bootstrap (agent join) token as `k3s token generate` prints, not a server token: K3s refuses it (k3s#12982)' };
  }
  if (!SECRET.test(secret)) return { ok: false, reason: 'only letters, digits and . _ ~ + / = - are allowed (no spaces, quotes or colons)' };
  if (secret.length < MIN_SECRET_LENGTH) return { ok: false, reason: `it is ${secret.length} characters long; at least ${MIN_SECRET_LENGTH} are needed` };
  return { ok: true };
}
