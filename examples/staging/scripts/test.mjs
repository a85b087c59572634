// `pnpm test [--filter <package>]...` at the workspace root: pnpm passes options written after a
// script's name to the script, so this puts the filters where pnpm reads them and runs each selected
// package's own test script (all packages when no filter is given).
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const filters = [];
const rest = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--filter' || a === '-F') {
    if (args[i + 1] === undefined) {
      console.error(`pnpm test: ${a} needs a package name (e.g. --filter admin-console)`);
      process.exit(2);
    }
    filters.push('--filter', args[++i]);
  } else if (a.startsWith('--filter=')) {
    filters.push('--filter', a.slice('--filter='.length));
  } else {
    rest.push(a);
  }
}

// npm_execpath is the pnpm that runs this script; use the same one.
const execPath = process.env.npm_execpath;
const [cmd, pre] =
  execPath && /\.(c|m)?js$/.test(execPath) ? [process.execPath, [execPath]] : [execPath || 'pnpm', []];
const pnpmArgs = [
  ...pre,
  ...(filters.length ? filters : ['--recursive']),
  '--fail-if-no-match',
  'run',
  'test',
  ...rest,
];
const r = spawnSync(cmd, pnpmArgs, { stdio: 'inherit' });
process.exit(r.status ?? 1);
