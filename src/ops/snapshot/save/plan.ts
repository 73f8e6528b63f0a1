// `fleet snapshot save`: which server takes the snapshot and under what name, as steps.
// Pure: the healthy server was found by the caller.
import type { Step } from '../../../engine/step.js';
import { InputError } from '../../../errors.js';

export interface SnapshotSavePlan {
  server: string;
  /** The base name K3s prefixes to <node>-<unix time>. */
  baseName: string;
  steps: Step[];
}

/** K3s builds a file name from it: keep to what is safe as one (DNS-label-like, as K3s's own). */
const NAME = /^[a-z0-9]([-a-z0-9.]{0,60}[a-z0-9])?$/;

export function planSnapshotSave(server: string, name: string | undefined): SnapshotSavePlan {
  const baseName = name ?? 'on-demand';
  if (!NAME.test(baseName)) {
    throw new InputError(
      `--name ${JSON.stringify(baseName)} is not a usable snapshot name`,
      'use lower-case letters, digits, dots and dashes (at most 62), starting and ending with a letter or digit',
    );
  }
  const save: Step = {
    id: `save-snapshot:${server}`,
    host: server,
    action: 'save-snapshot',
    changes: true,
    reason: `k3s etcd-snapshot save --name ${baseName} on a server whose etcd is healthy`,
    dependsOn: [],
  };
  const fetch: Step = { id: `fetch-snapshot:${server}`, host: server, action: 'fetch-snapshot', changes: true, reason: 'copy it to the controller with its record', dependsOn: [save.id] };
  return { server, baseName, steps: [save, fetch] };
}
