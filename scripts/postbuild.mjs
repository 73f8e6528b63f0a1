// Make the built CLI executable so `node dist/src/cli/main.js` and `npm link` both work.
import { chmodSync, existsSync } from 'node:fs';
const entry = 'dist/src/cli/main.js';
if (existsSync(entry)) chmodSync(entry, 0o755);
