#!/usr/bin/env node
// `npx command-center`: the bundled CLI (built by `npm run build` into dist/cli/index.js).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli/index.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write(`command-center: ${cli} is missing; build it with \`npm run build\`\n`);
  process.exitCode = 1;
} else {
  await import(new URL('../dist/cli/index.js', import.meta.url).href);
}
