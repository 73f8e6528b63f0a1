// Certificate expiry as health-check rows: per node its earliest leaf certificate, the cluster's CA,
// and the kubeconfig client certificates fleet wrote or merged. Pure: dates in, rows out; `fleet
// status` shows them, doctor lists them with every certificate in --json (data.certificates).
// Thresholds (docs/certificates.md): a leaf warns from 120 days before it expires (K3s renews at
// start from then: 120 days from v1.33.1 / v1.32.5 / v1.31.9 / v1.30.13, 90 before) and fails when
// expired or not yet valid; the CA, which K3s never renews, warns from a year.
import type { CertificateFact } from '../facts/k3s-certs.js';
import type { CheckStatus, HealthCheck } from './health-check.js';

export const LEAF_WARN_DAYS = 120;
export const CA_WARN_DAYS = 365;
const DAY_MS = 86_400_000;
const DOCS = 'docs/certificates.md';
const K3S_CA_DOCS = 'https://docs.k3s.io/cli/certificate#certificate-authority-ca-certificates';

export interface NodeCertificates {
  host: string;
  source: string;
  certificates: CertificateFact[];
}

export interface KubeconfigCertificate {
  /** The kubeconfig file. */
  file: string;
  /** The user entry holding the client certificate. */
  user: string;
  notBefore?: string;
  notAfter?: string;
}

export interface CertExpiryInput {
  nodes: NodeCertificates[];
  kubeconfigs: KubeconfigCertificate[];
  nowMs: number;
  /** How to name the inventory in fixes, e.g. `inventory.yaml`. */
  inventoryFile: string;
}

const day = (iso: string): string => iso.slice(0, 10);

/** "in 20 days", "1 day ago", "today". */
export function relativeDays(iso: string, nowMs: number): string {
  // Whole days toward zero: a certificate that expired 25 hours ago expired "1 day ago".
  const days = Math.trunc((Date.parse(iso) - nowMs) / DAY_MS);
  if (days === 0) return Date.parse(iso) >= nowMs ? 'today' : 'earlier today';
  const n = Math.abs(days);
  return days > 0 ? `in ${n} day${n === 1 ? '' : 's'}` : `${n} day${n === 1 ? '' : 's'} ago`;
}

interface Dated {
  notBefore?: string;
  notAfter?: string;
}

interface Judged<T extends Dated = Dated> {
  status: CheckStatus;
  /** The certificate the row is about: the first not yet valid / expired, else the earliest to expire. */
  about?: T;
  expired: number;
  notYetValid: number;
  earliest?: string;
}

function judge<T extends Dated>(certs: T[], nowMs: number, warnDays: number): Judged<T> {
  const expired = certs.filter((c) => c.notAfter !== undefined && Date.parse(c.notAfter) <= nowMs);
  const notYetValid = certs.filter((c) => c.notBefore !== undefined && Date.parse(c.notBefore) > nowMs);
  const dated = certs.filter((c) => c.notAfter !== undefined).sort((a, b) => Date.parse(a.notAfter!) - Date.parse(b.notAfter!));
  const earliest = dated[0];
  const bad = notYetValid[0] ?? expired[0];
  if (bad) return { status: 'fail', about: bad, expired: expired.length, notYetValid: notYetValid.length, ...(earliest ? { earliest: earliest.notAfter! } : {}) };
  if (!earliest) return { status: 'ok', expired: 0, notYetValid: 0 };
  const soon = Date.parse(earliest.notAfter!) - nowMs <= warnDays * DAY_MS;
  return { status: soon ? 'warn' : 'ok', about: earliest, expired: 0, notYetValid: 0, earliest: earliest.notAfter! };
}

function valueOf(judged: Judged, nowMs: number): string {
  const about = judged.about;
  if (!about) return 'no dated certificate';
  if (judged.notYetValid > 0 && about.notBefore) return `not valid before ${about.notBefore}`;
  if (!about.notAfter) return 'no expiry date';
  const verb = Date.parse(about.notAfter) <= nowMs ? 'expired' : 'expires';
  return `${verb} ${day(about.notAfter)} (${relativeDays(about.notAfter, nowMs)})`;
}

function nodeRow(node: NodeCertificates, input: CertExpiryInput): HealthCheck | undefined {
  const leaves = node.certificates.filter((c) => !c.ca);
  if (leaves.length === 0) return undefined;
  const judged = judge(leaves, input.nowMs, LEAF_WARN_DAYS);
  const about = judged.about;
  const named = about ? `${about.file} (${about.subject})` : '';
  const row: HealthCheck = {
    check: 'certificates.leaf',
    section: 'certificates',
    host: node.host,
    status: judged.status,
    value: valueOf(judged, input.nowMs),
    message:
      judged.notYetValid > 0
        ? `${judged.notYetValid} of ${leaves.length} certificates are not valid yet, ${named} among them: TLS with this node fails`
        : judged.expired > 0
          ? `${judged.expired} of ${leaves.length} certificates expired, ${named} first: TLS with this node fails`
          : judged.status === 'warn'
            ? `the earliest of ${leaves.length} certificates, ${named}, expires within ${LEAF_WARN_DAYS} days`
            : `every one of ${leaves.length} certificates is valid for more than ${LEAF_WARN_DAYS} days`,
    data: { source: node.source, ...(judged.earliest ? { earliest: judged.earliest } : {}), certificates: node.certificates },
  };
  if (judged.notYetValid > 0) row.fix = `the node's clock is behind the time the certificates were issued: set it right (NTP), then restart K3s on ${node.host}; see ${DOCS}`;
  else if (judged.status !== 'ok') row.fix = `restart K3s on ${node.host} (it renews certificates inside its renewal window at start), or rotate them with K3s stopped; see ${DOCS}`;
  return row;
}

function caRow(nodes: NodeCertificates[], input: CertExpiryInput): HealthCheck | undefined {
  const cas = nodes.flatMap((n) => n.certificates.filter((c) => c.ca).map((c) => ({ ...c, host: n.host })));
  if (cas.length === 0) return undefined;
  const judged = judge(cas, input.nowMs, CA_WARN_DAYS);
  const about = judged.about;
  const row: HealthCheck = {
    check: 'certificates.ca',
    section: 'certificates',
    ...(about ? { host: about.host } : {}),
    status: judged.status,
    value: valueOf(judged, input.nowMs),
    message:
      judged.status === 'fail'
        ? `the cluster CA ${about?.subject ?? ''} is not valid: nothing it signed is trusted`
        : judged.status === 'warn'
          ? `the cluster CA ${about?.subject ?? ''} expires within a year, and K3s never renews it`
          : `the cluster CA is valid for more than a year`,
  };
  if (judged.status !== 'ok') row.fix = `CA rotation is a separate, disruptive K3s operation fleet does not run: ${K3S_CA_DOCS}`;
  return row;
}

function kubeconfigRow(entry: KubeconfigCertificate, input: CertExpiryInput): HealthCheck {
  const judged = judge([entry], input.nowMs, LEAF_WARN_DAYS);
  const row: HealthCheck = {
    check: 'certificates.kubeconfig',
    section: 'certificates',
    status: judged.status,
    value: valueOf(judged, input.nowMs),
    message:
      judged.status === 'fail'
        ? `the client certificate of user ${entry.user} in ${entry.file} is not valid: kubectl with it is refused`
        : judged.status === 'warn'
          ? `the client certificate of user ${entry.user} in ${entry.file} expires within ${LEAF_WARN_DAYS} days`
          : `the client certificate of user ${entry.user} in ${entry.file} is valid for more than ${LEAF_WARN_DAYS} days`,
    data: { file: entry.file, user: entry.user, ...(entry.notAfter ? { notAfter: entry.notAfter } : {}), ...(entry.notBefore ? { notBefore: entry.notBefore } : {}) },
  };
  if (judged.status !== 'ok') row.fix = `once the servers' certificates are renewed, fetch it again: fleet kubeconfig ${input.inventoryFile}; see ${DOCS}`;
  return row;
}

/** One row per node with certificates, one for the CA, one per kubeconfig client certificate. */
export function certificateChecks(input: CertExpiryInput): HealthCheck[] {
  const rows: HealthCheck[] = [];
  for (const node of input.nodes) {
    const row = nodeRow(node, input);
    if (row) rows.push(row);
  }
  const ca = caRow(input.nodes, input);
  if (ca) rows.push(ca);
  for (const entry of input.kubeconfigs) rows.push(kubeconfigRow(entry, input));
  return rows;
}
