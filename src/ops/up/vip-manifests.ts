// Writes kube-vip's manifests into the first server's manifests directory before K3s starts
// there, so K3s deploys them on start. Only files whose content differs are written.
import type { Manifest } from '../../rules/vip.js';
import { K3S_MANIFESTS_DIR } from '../../rules/vip.js';
import type { Transport } from '../../ssh/transport.js';

/** The manifests that were (re)written; empty when all were already in place. */
export async function writeManifests(transport: Transport, manifests: Manifest[]): Promise<string[]> {
  const written: string[] = [];
  for (const manifest of manifests) {
    const path = `${K3S_MANIFESTS_DIR}/${manifest.file}`;
    const current = await transport.exec(`cat ${path} 2>/dev/null`, { sudo: true, timeoutMs: 15_000 });
    if (current.exitCode === 0 && current.stdout === manifest.content) continue;
    await transport.exec(`mkdir -p ${K3S_MANIFESTS_DIR}`, { sudo: true, timeoutMs: 15_000 });
    await transport.writeFile(path, manifest.content, { mode: 0o600, sudo: true });
    written.push(path);
  }
  return written;
}
