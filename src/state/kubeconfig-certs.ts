// The client certificates in the kubeconfigs fleet wrote: .fleet/<cluster>/kubeconfig and the
// entries `--merge` put into the user's kubeconfig (named after the context). K3s's admin
// certificate expires with the others, and a copied kubeconfig does not renew itself.
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { KubeconfigCertificate } from '../rules/cert-expiry.js';

interface UserEntry {
  name?: unknown;
  user?: { 'client-certificate-data'?: unknown };
}

const iso = (date: string): string => new Date(date).toISOString().replace('.000Z', 'Z');

/** Pure: the dated client certificates of a kubeconfig's users (only those named, when given). */
export function kubeconfigCertificates(text: string, file: string, users?: readonly string[]): KubeconfigCertificate[] {
  let doc: { users?: UserEntry[] } | null;
  try {
    doc = parse(text, { logLevel: 'error' }) as { users?: UserEntry[] } | null;
  } catch {
    return [];
  }
  const found: KubeconfigCertificate[] = [];
  for (const entry of Array.isArray(doc?.users) ? doc.users : []) {
    const name = typeof entry?.name === 'string' ? entry.name : '';
    const data = entry?.user?.['client-certificate-data'];
    if (typeof data !== 'string' || (users && !users.includes(name))) continue;
    try {
      const cert = new X509Certificate(Buffer.from(data, 'base64'));
      found.push({ file, user: name, notBefore: iso(cert.validFrom), notAfter: iso(cert.validTo) });
    } catch {
      // Not a certificate fleet can read: nothing to date.
    }
  }
  return found;
}

/** Reads the files that exist; a file that cannot be read is skipped (status is read-only). */
export function readKubeconfigCertificates(files: ReadonlyArray<{ file: string; users?: readonly string[] }>): KubeconfigCertificate[] {
  return files.flatMap(({ file, users }) => {
    if (!existsSync(file)) return [];
    try {
      return kubeconfigCertificates(readFileSync(file, 'utf8'), file, users);
    } catch {
      return [];
    }
  });
}
