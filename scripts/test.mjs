// `npm test`: installs what is missing, builds the bundles, brings up the local stack (idempotent),
// runs every test layer with vitest under Node 24, and ends with one plain "N passed, N failed" line.
// Flags: --no-stack (servers are already managed elsewhere), any other args go to vitest.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const node24 = join(root, 'node_modules/node/bin/node');
const args = process.argv.slice(2);
const noStack = args.includes('--no-stack');
const vitestArgs = args.filter((a) => a !== '--no-stack');

function run(cmd, cmdArgs, what) {
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env: process.env });
  if (r.status !== 0) {
    console.error(`test: ${what} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

if (!existsSync(node24) || !existsSync(join(root, 'node_modules/vitest')))
  run('npm', ['ci', '--no-fund', '--no-audit', '--loglevel=error'], 'npm ci');
run(node24, [join(root, 'scripts/build.mjs')], 'build');
if (!noStack) run('bash', [join(root, 'stack/stack.sh'), 'up'], 'stack:up');

mkdirSync(join(root, '.vitest'), { recursive: true });
const jsonPath = join(root, '.vitest/results.json');
const r = spawnSync(
  node24,
  [
    join(root, 'node_modules/vitest/vitest.mjs'),
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${jsonPath}`,
    ...vitestArgs,
  ],
  { cwd: root, stdio: 'inherit', env: process.env },
);

let passed = 0,
  failed = 0,
  skipped = 0;
if (existsSync(jsonPath)) {
  const report = JSON.parse(readFileSync(jsonPath, 'utf8'));
  passed = report.numPassedTests ?? 0;
  failed = report.numFailedTests ?? 0;
  // A suite can fail without a failing test (a beforeAll that throws): count those then, not the
  // describe blocks around failing tests.
  if (failed === 0) failed = report.numFailedTestSuites ?? 0;
  skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}
if (r.status !== 0 && failed === 0) failed = 1; // vitest itself failed (e.g. a file did not load)
console.log(`Tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = r.status === 0 && failed === 0 ? 0 : 1;
