// A stand-in for fleet in the kill tests: performs one kind of controller write through fleet's
// own modules, over and over, until it is killed. Says "writing" on stdout once it has started.
// Usage: node write-loop.js token|kubeconfig|inventory DIR
import { writeSync } from 'node:fs';
import { join } from 'node:path';
import { writeBackNewHost } from '../../../src/inventory/save-new-host.js';
import { atomicWriteFile, readSnapshot } from '../../../src/state/atomic-write.js';
import { storeToken } from '../../../src/token/store.js';
import { mergeIntoUserKubeconfig } from '../../../src/state/kubeconfig-merge.js';
import { killTestToken, labKubeconfig, inventoryTexts } from './write-fixtures.js';

const [kind, dir] = process.argv.slice(2) as [string, string];
writeSync(1, 'writing\n');
if (kind === 'token') {
  for (let i = 0; ; i++) {
    storeToken(join(dir, `token-${process.pid}-${i}`), killTestToken(i));
    writeSync(1, '.');
  }
} else if (kind === 'kubeconfig') {
  for (let i = 0; ; i++) {
    await mergeIntoUserKubeconfig(labKubeconfig(i % 2), { file: join(dir, 'config'), force: true, keepBackups: 3 });
    writeSync(1, '.');
  }
} else if (kind === 'inventory') {
  const { base, appended } = inventoryTexts();
  for (;;) {
    const read = readSnapshot(join(dir, 'inventory.yaml'));
    if (read.text === base) writeBackNewHost(read.path, appended, read, 'new-1');
    else atomicWriteFile(read.path, base, { unchangedSince: read });
    writeSync(1, '.');
  }
}
