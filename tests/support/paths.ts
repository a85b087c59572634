import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');

/**
 * Actions declare `runs.using: node24`, so bundles are run with the Node 24 binary the project
 * installs from the npm registry (the machine's own node may be older).
 */
export const NODE24 = (() => {
  const local = join(ROOT, 'node_modules/node/bin/node');
  if (!existsSync(local)) throw new Error(`Node 24 is not installed at ${local}: run \`npm ci\` first.`);
  return local;
})();

export const STATE_DIR = process.env.STACK_STATE ?? join(ROOT, '.stack');
