// The value rules of the inventory, as plain predicates: used by the zod schema and by the
// cross-field checks. Anything that fails here is rejected before it could reach a shell.
import { isIPv4, isIPv6 } from 'node:net';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_LABEL_ANY_CASE = /^[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** A DNS-1123 label: cluster names. */
export function isDnsLabel(value: string): boolean {
  return DNS_LABEL.test(value);
}

/** A DNS-1123 subdomain (lowercase, ≤253): Kubernetes node names. */
export function isNodeName(value: string): boolean {
  return value.length <= 253 && value.split('.').every((label) => DNS_LABEL.test(label));
}

/** A DNS host name (any case, ≤253), not something that only looks like a dotted number. */
export function isDnsName(value: string): boolean {
  if (value.length === 0 || value.length > 253) return false;
  const labels = value.replace(/\.$/, '').split('.');
  if (!labels.every((label) => DNS_LABEL_ANY_CASE.test(label))) return false;
  return !/^[0-9]+$/.test(labels[labels.length - 1]!);
}

/** IPv4, IPv6 (no zone) or a DNS name. */
export function isAddress(value: string): boolean {
  // Zone ids (fe80::1%eth0) name a local interface: meaningless to other hosts.
  return isIPv4(value) || (isIPv6(value) && !value.includes('%')) || isDnsName(value);
}

/** A TLS subject alternative name: an address, or a wildcard DNS name. */
export function isTlsSan(value: string): boolean {
  return isAddress(value) || (value.startsWith('*.') && isDnsName(value.slice(2)));
}

/** Kubernetes label key: optional DNS-subdomain prefix and `/`, then a name of ≤63 chars. */
export function isLabelKey(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash === -1) return LABEL_NAME.test(value);
  const prefix = value.slice(0, slash);
  const name = value.slice(slash + 1);
  return prefix.length > 0 && isNodeName(prefix) && LABEL_NAME.test(name);
}

/** Kubernetes label value: empty, or ≤63 chars of [A-Za-z0-9._-] starting and ending alphanumeric. */
export function isLabelValue(value: string): boolean {
  return value === '' || LABEL_NAME.test(value);
}

/** A Linux network interface name (≤15 characters, no slash or whitespace). */
export function isInterfaceName(value: string): boolean {
  return /^[A-Za-z0-9_.:@-]{1,15}$/.test(value) && value !== '.' && value !== '..';
}

/** A container image reference: registry/name[:tag][@digest], no whitespace or shell characters. */
export function isImageRef(value: string): boolean {
  return /^[a-z0-9][a-z0-9._\-/:@]*$/i.test(value) && value.length <= 255;
}

/** A K3s flag name as written in config.yaml (no leading dashes). */
export function isFlagName(value: string): boolean {
  return /^[a-z0-9][a-z0-9-]*$/.test(value);
}

/** Flag string values end up in config.yaml: no newlines and no NUL. */
export function isSafeFlagString(value: string): boolean {
  return !/[\r\n\0]/.test(value);
}

/** A K3s release such as v1.31.4+k3s1 (release candidates allowed). */
export function isK3sVersion(value: string): boolean {
  return /^v[0-9]+\.[0-9]+\.[0-9]+(-rc[0-9]+)?\+k3s[0-9]+$/.test(value);
}

/** A K3s release channel: stable, latest, testing, v1.31 … */
export function isK3sChannel(value: string): boolean {
  return /^[a-z0-9][a-z0-9.-]{0,62}$/.test(value);
}

/** A POSIX-ish login name. */
export function isUserName(value: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$/.test(value);
}

/** OpenSSH ProxyJump: comma-separated `[user@]host[:port]`. */
export function isProxyJump(value: string): boolean {
  return value.split(',').every((hop) => {
    const match = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:@]+)(?::([0-9]{1,5}))?$/.exec(hop);
    if (!match) return false;
    const [, user, host, port] = match;
    if (user !== undefined && !isUserName(user)) return false;
    const bareHost = host!.startsWith('[') ? host!.slice(1, -1) : host!;
    if (!isAddress(bareHost)) return false;
    return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
  });
}

/** Local file paths fleet reads: printable, no NUL or newline. */
export function isLocalPath(value: string): boolean {
  return value.length > 0 && !/[\r\n\0]/.test(value);
}

/** The token reaches config.yaml: visible ASCII only, so it cannot break the file. */
export function isTokenText(value: string): boolean {
  return /^[\x21-\x7e]+$/.test(value);
}
