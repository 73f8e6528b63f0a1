// The value rules of the inventory, as plain predicates: used by the zod schema and by the
// cross-field checks. Anything that fails here is rejected before it could reach a shell.
import { isIPv4, isIPv6 } from 'node:net';
import { closest } from './did-you-mean.js';

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
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

/**
 * A K3s release that can exist: v1.MINOR.PATCH[-rcN]+k3sN, from v1.19 (the first with embedded
 * etcd, which fleet's HA clusters need), numbers without leading zeros, k3s and rc counted from 1.
 */
export const K3S_VERSION = /^v1\.(19|[2-9][0-9]|[1-9][0-9]{2,})\.(0|[1-9][0-9]*)(-rc[1-9][0-9]*)?\+k3s[1-9][0-9]*$/;

/** K3s's release channels (update.k3s.io): stable, latest, testing, and one per minor (v1.31). */
export const K3S_CHANNEL = /^(stable|latest|testing|v1\.(1[6-9]|[2-9][0-9]|[1-9][0-9]{2,}))$/;

export function isK3sVersion(value: string): boolean {
  return K3S_VERSION.test(value);
}

export function isK3sChannel(value: string): boolean {
  return K3S_CHANNEL.test(value);
}

/** Why a K3s version cannot be, in words (for the hint). */
export function k3sVersionProblem(value: string): string {
  if (/^[0-9]/.test(value)) return `K3s versions start with v: v${value}${value.includes('+') ? '' : '+k3s1'}`;
  if (K3S_CHANNEL.test(value)) return `${value} is a channel: write it as k3s.channel: ${value}`;
  const parts = /^v([0-9]+)\.([0-9]+)\.([0-9]+)(-rc[0-9]+)?(\+k3s([0-9]*))?$/.exec(value);
  if (!parts) return 'like v1.31.4+k3s1 (see github.com/k3s-io/k3s/releases)';
  const [, major, minor, patch, , suffix, build] = parts;
  if (major !== '1') return `K3s follows Kubernetes 1.x: there is no v${major}`;
  if (Number(minor) < 19) return `fleet needs embedded etcd, which K3s has from v1.19 on`;
  if (/^0[0-9]/.test(minor!) || /^0[0-9]/.test(patch!)) return 'version numbers have no leading zeros';
  if (suffix === undefined) return `K3s versions end in +k3sN: ${value}+k3s1`;
  if (build === '' || Number(build) < 1) return 'the +k3s suffix counts from 1: +k3s1';
  return 'like v1.31.4+k3s1 (see github.com/k3s-io/k3s/releases)';
}

/** Why a K3s channel cannot be, in words (for the hint). */
export function k3sChannelProblem(value: string): string {
  if (K3S_VERSION.test(value) || /^v?[0-9]+\.[0-9]+\.[0-9]+/.test(value)) return `${value} is a version: write it as k3s.version (channels are stable, latest, testing or v1.31)`;
  if (/^1\.[0-9]+$/.test(value)) return `minor channels start with v: v${value}`;
  if (/^v[0-9]+\.[0-9]+$/.test(value)) return 'K3s has minor channels from v1.16 on, all v1.x';
  const near = closest(value, ['stable', 'latest', 'testing']);
  if (near) return `did you mean ${near}?`;
  return 'stable, latest, testing or a minor such as v1.31';
}

/** A POSIX-ish login name. */
export const USER_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$/;

export function isUserName(value: string): boolean {
  return USER_NAME.test(value);
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
