// Bundles the staging services, the topic set-up and the traffic generator into self-contained ESM
// files: `node examples/staging/build.mjs <outdir>`. Started from bundles, each process loads in a
// few milliseconds and needs nothing but Node 24.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
const outdir = resolve(process.argv[2] ?? join(here, '../../.stack/staging/bin'));
mkdirSync(outdir, { recursive: true });

const entries = {
  'policy-engine': 'services/policy-engine/main.ts',
  constitution: 'services/constitution/main.ts',
  orchestrator: 'services/orchestrator/main.ts',
  'create-topics': 'services/setup/topics.ts',
  traffic: 'traffic/main.ts',
};

// kafkajs and prom-client are CommonJS; the banner gives the ESM bundle a working require.
const banner =
  "import { createRequire as __stagingRequire } from 'node:module'; const require = __stagingRequire(import.meta.url);";

await build({
  entryPoints: Object.fromEntries(Object.entries(entries).map(([name, path]) => [name, join(here, path)])),
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  banner: { js: banner },
  legalComments: 'none',
  logLevel: 'warning',
});
console.log(`staging bundles written to ${outdir}`);
