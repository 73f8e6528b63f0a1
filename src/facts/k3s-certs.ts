// The dates of the certificates K3s keeps on a node. Read with `k3s certificate check` where the
// release has it (v1.29.4+k3s1), else with openssl on the files under server/tls and agent/; both
// come out as the same records, so the rule (src/rules/cert-expiry.ts) never knows which ran.
// K3s's check logs through logrus on stderr, one line per certificate of each file (the leaf, then
// the CA that signed it), in one of two forms:
//   before the May 2025 releases: /var/lib/rancher/k3s/server/tls/client-admin.crt: certificate
//     CN=system:admin,O=system:masters will expire within 90 days at 2026-01-02T03:04:05Z
//   from them: client-admin.crt: certificate system:admin (ClientAuth) is ok, expires at 2026-…Z
import type { FactProbe } from './probe.js';

export interface CertificateFact {
  /** The file's base name, e.g. serving-kube-apiserver.crt. */
  file: string;
  /** The subject's common name, e.g. kube-apiserver, k3s-server-ca@1712688659. */
  subject: string;
  /** A certificate authority (K3s names its CAs k3s-…-ca@<time>). */
  ca: boolean;
  /** ISO 8601; absent when the source did not say (K3s's check gives one date per line). */
  notBefore?: string;
  notAfter?: string;
}

export interface CertificateFacts {
  source: 'k3s certificate check' | 'openssl' | 'none';
  certificates: CertificateFact[];
}

const CHECK_MARK = '# fleet: k3s certificate check';
const OPENSSL_MARK = '# fleet: openssl';

// Without a terminal (over SSH) logrus writes `time=… level=info msg="…"`; on one, `INFO[0000] …`.
const CHECK_LINE = /(?:msg="|^[A-Z]{4}\[[^\]]*\]\s+)(\S+): certificate (.+?) (is ok, expires at|will expire within \d+ days at|expired at|is not valid before) (\d{4}-\d\d-\d\dT[\d:]+Z)/;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** openssl's "Dec  1 00:00:00 2025 GMT" as ISO 8601 (OpenSSL 1.1 has no -dateopt). */
export function opensslDate(text: string): string | undefined {
  const match = /^([A-Z][a-z]{2})\s+(\d{1,2}) (\d\d):(\d\d):(\d\d) (\d{4}) GMT$/.exec(text.trim());
  if (!match) return undefined;
  const month = MONTHS.indexOf(match[1]!);
  if (month < 0) return undefined;
  return new Date(Date.UTC(Number(match[6]), month, Number(match[2]), Number(match[3]), Number(match[4]), Number(match[5]))).toISOString().replace('.000Z', 'Z');
}

const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** CN=system:admin,O=system:masters → system:admin; a bare CN stays as it is. */
function commonName(subject: string): string {
  const cn = /(?:^|,|\/)\s*CN\s*=\s*([^,/]+)/.exec(subject);
  return (cn ? cn[1]! : subject).trim();
}

function parseCheck(lines: string[]): CertificateFact[] {
  const facts: CertificateFact[] = [];
  for (const line of lines) {
    const match = CHECK_LINE.exec(line);
    if (!match) continue;
    // The newer form adds " (Usages)" after the CN.
    const subject = commonName(match[2]!.replace(/ \([A-Za-z,]*\)$/, ''));
    const fact: CertificateFact = { file: baseName(match[1]!), subject, ca: /-ca@\d+$/.test(subject) };
    if (match[3] === 'is not valid before') fact.notBefore = match[4]!;
    else fact.notAfter = match[4]!;
    facts.push(fact);
  }
  return facts;
}

function parseOpenssl(lines: string[]): CertificateFact[] {
  const facts: CertificateFact[] = [];
  let current: CertificateFact | undefined;
  for (const line of lines) {
    if (line.startsWith('file ')) {
      current = { file: baseName(line.slice(5).trim()), subject: '', ca: false };
      facts.push(current);
    } else if (current && line.startsWith('subject=')) {
      current.subject = commonName(line.slice('subject='.length));
      current.ca = /-ca@\d+$/.test(current.subject);
    } else if (current && line.startsWith('notBefore=')) {
      const date = opensslDate(line.slice('notBefore='.length));
      if (date) current.notBefore = date;
    } else if (current && line.startsWith('notAfter=')) {
      const date = opensslDate(line.slice('notAfter='.length));
      if (date) current.notAfter = date;
    }
  }
  return facts.filter((f) => f.notAfter !== undefined || f.notBefore !== undefined);
}

export function parseK3sCerts(output: string): CertificateFacts {
  const lines = output.split('\n');
  const mark = lines[0]?.trim();
  if (mark === CHECK_MARK) return { source: 'k3s certificate check', certificates: parseCheck(lines.slice(1)) };
  if (mark === OPENSSL_MARK) return { source: 'openssl', certificates: parseOpenssl(lines.slice(1)) };
  return { source: 'none', certificates: [] };
}

// Releases without `certificate check` answer "No help topic for 'check'" (status 3): openssl then.
// Only the first certificate of each file is read by openssl: the leaf (a CA file: the CA).
export const k3sCertsProbe: FactProbe<CertificateFacts> = {
  name: 'k3s-certs',
  script: [
    'd=/var/lib/rancher/k3s',
    '[ -d "$d/server/tls" ] || [ -d "$d/agent" ] || exit 0',
    'if command -v k3s >/dev/null 2>&1 && out=$(k3s certificate check 2>&1) && printf %s "$out" | grep -q \': certificate \'; then',
    `  echo '${CHECK_MARK}'; printf '%s\\n' "$out"; exit 0`,
    'fi',
    'command -v openssl >/dev/null 2>&1 || exit 0',
    `echo '${OPENSSL_MARK}'`,
    'for f in "$d"/server/tls/*.crt "$d"/server/tls/etcd/*.crt "$d"/agent/*.crt; do',
    '  [ -f "$f" ] || continue',
    '  printf \'file %s\\n\' "$f"',
    '  openssl x509 -in "$f" -noout -subject -startdate -enddate -nameopt RFC2253 2>/dev/null',
    'done',
  ].join('\n'),
  parse: parseK3sCerts,
};
