// `npm run bench`: builds, then runs every bench/*.bench.mjs (or the ones named) in turn.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const node24 = join(root, 'node_modules/node/bin/node');
const only = process.argv.slice(2);
const build = spawnSync(node24, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
if (build.status !== 0) process.exit(1);
const benches = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();
let failed = 0;
for (const file of benches) {
  console.log(`\n### ${file}`);
  const r = spawnSync(node24, [join(root, 'bench', file)], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) failed++;
}
console.log(
  `\nbench: ${benches.length - failed} of ${benches.length} benchmark(s) completed; results appended to bench/results/latest.jsonl`,
);
process.exitCode = failed ? 1 : 0;
