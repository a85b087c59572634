// Bundles every action found under src/actions/<name>/index.ts into a self-contained,
// unminified dist/<name>/index.js that a runner executes with its node24 runtime.
import { build } from 'esbuild';
import { readdirSync, existsSync, readFileSync, rmSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const actionsDir = join(root, 'src/actions');
const names = readdirSync(actionsDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(actionsDir, d.name, 'index.ts')))
  .map((d) => d.name)
  .sort();

const cli = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const selected = cli ? names.filter((n) => n === cli) : names;
if (selected.length === 0) {
  console.error(`build: no action named ${cli ?? '(any)'}; known: ${names.join(', ')}`);
  process.exit(1);
}

// Some dependencies still use require(); this banner gives the ESM bundle a working require.
// `var`, not `const`: some ESM dependencies declare their own top-level __filename/__dirname
// (@azure/storage-common does), and a var may be declared twice where a const may not.
const banner = [
  "import { createRequire as __ccCreateRequire } from 'node:module';",
  "import { fileURLToPath as __ccFileURLToPath } from 'node:url';",
  "import { dirname as __ccDirname } from 'node:path';",
  'var require = __ccCreateRequire(import.meta.url);',
  'var __filename = __ccFileURLToPath(import.meta.url);',
  'var __dirname = __ccDirname(__filename);',
].join('\n');

// @actions/core imports an HTTP client (for OIDC tokens) and @actions/exec (for platform details) at
// load time; most steps use neither. Marking them side-effect free lets esbuild drop them when unused,
// which takes ~100 ms off every action's cold start. Code that really uses them keeps them.
const sideEffectFree = {
  name: 'side-effect-free',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.sideEffectFree) return undefined;
      // @kubernetes/client-node re-exports its whole generated API from every entry point; only what is
      // used (KubeConfig, Watch) should land in the bundle.
      const insideKubeClient =
        args.importer.includes('/@kubernetes/client-node/dist/') && args.path.startsWith('.');
      if (
        !insideKubeClient &&
        !/^(undici|@actions\/http-client|@actions\/exec|@actions\/io|@kubernetes\/client-node)(\/|$)/.test(
          args.path,
        )
      )
        return undefined;
      const resolved = await b.resolve(args.path, {
        resolveDir: args.resolveDir,
        kind: args.kind,
        importer: args.importer,
        pluginData: { sideEffectFree: true },
      });
      return { ...resolved, sideEffects: false };
    });
    // The same for core's OIDC module: when a lazily loaded chunk uses the HTTP client (the artifact
    // client does), this keeps the client and undici in that chunk instead of loading them at start.
    b.onResolve({ filter: /^\.\/oidc-utils\.js$/ }, async (args) => {
      if (args.pluginData?.sideEffectFree || !/[\\/]@actions[\\/]core[\\/]/.test(args.importer))
        return undefined;
      const resolved = await b.resolve(args.path, {
        resolveDir: args.resolveDir,
        kind: args.kind,
        importer: args.importer,
        pluginData: { sideEffectFree: true },
      });
      return { ...resolved, sideEffects: false };
    });
  },
};

// A bundle that reads JUnit reports also gets the worker that reads a large report's parts in parallel
// (src/lib/junit/parallel.ts finds it beside the bundle at run time): one self-contained file, so a
// worker loads the engine and nothing of the action.
const JUNIT_PARALLEL = join(root, 'src/lib/junit/parallel.ts');
const JUNIT_WORKER = join(root, 'src/lib/junit/parse-worker.ts');
const JUNIT_WORKER_FILE = 'junit-worker.js';
async function addJUnitWorker(metafile, outdir) {
  const inputs = Object.keys(metafile.inputs).map((p) => join(root, p));
  if (!inputs.includes(JUNIT_PARALLEL)) return;
  await build({
    entryPoints: [JUNIT_WORKER],
    outfile: join(outdir, JUNIT_WORKER_FILE),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: false,
    sourcemap: false,
    legalComments: 'none',
    banner: { js: banner },
    logLevel: 'warning',
    plugins: [sideEffectFree],
  });
}

// Every bundle ships the licenses of the third-party code inside it (what the metafile says went in),
// as docker/build-push-action does: name, version, license and its full text, once per package.
function packageOf(input) {
  const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (!m) return undefined;
  const dir = join(root, input.slice(0, input.lastIndexOf(`node_modules/${m[1]}/`)), 'node_modules', m[1]);
  return existsSync(join(dir, 'package.json')) ? dir : undefined;
}
function writeLicenses(metafiles, outfile) {
  const dirs = new Set();
  for (const mf of metafiles)
    for (const input of Object.keys(mf.inputs)) {
      const dir = packageOf(input);
      if (dir) dirs.add(dir);
    }
  const entries = [...dirs].map((dir) => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
    const license = typeof pkg.license === 'string' ? pkg.license : (pkg.license?.type ?? 'UNKNOWN');
    return {
      id: `${pkg.name}@${pkg.version}`,
      license,
      text: file ? readFileSync(join(dir, file), 'utf8').trim() : '(no license file in the package)',
    };
  });
  const unique = [...new Map(entries.map((e) => [e.id, e])).values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  const body = unique.map((e) => `${e.id}\n${e.license}\n\n${e.text}\n`).join(`\n${'-'.repeat(72)}\n\n`);
  writeFileSync(
    outfile,
    `Third-party software bundled in this folder (${unique.length} package(s)).\n\n${body}`,
  );
}

for (const name of selected) {
  // Build beside the old bundle and swap it in, so a step running the old one never sees a half-written folder.
  const finalDir = join(root, 'dist', name);
  // A fixed staging path: chunk hashes depend on the output path, and bundles must be reproducible.
  const outdir = join(root, 'dist', '.staging', name);
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    // Splitting lets an action load a heavy client (e.g. Kubernetes) with import() only when it needs
    // it: the chunk sits beside index.js in dist/<name>/, so the folder stays self-contained and the
    // bad-input path starts fast.
    entryPoints: { index: join(actionsDir, name, 'index.ts') },
    outdir,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: false,
    sourcemap: false,
    legalComments: 'none',
    banner: { js: banner },
    // playwright-core is loaded from the runner's node_modules only when screenshots are asked for.
    external: ['playwright-core', 'chromium-bidi/*'],
    logLevel: 'warning',
    plugins: [sideEffectFree],
    metafile: true,
  });
  await addJUnitWorker(result.metafile, outdir);
  writeLicenses([result.metafile], join(outdir, 'licenses.txt'));
  const old = join(root, 'dist', '.staging', `${name}.old`);
  if (existsSync(finalDir)) renameSync(finalDir, old);
  renameSync(outdir, finalDir);
  rmSync(old, { recursive: true, force: true });
}
// The CLI bundle runs every action's main outside Actions.
if (!cli && existsSync(join(root, 'src/cli/index.ts'))) {
  const result = await build({
    entryPoints: [join(root, 'src/cli/index.ts')],
    outfile: join(root, 'dist/cli/index.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: false,
    legalComments: 'none',
    banner: { js: banner },
    external: ['playwright-core', 'chromium-bidi/*'],
    logLevel: 'warning',
    plugins: [sideEffectFree],
    metafile: true,
  });
  await addJUnitWorker(result.metafile, join(root, 'dist/cli'));
  writeLicenses([result.metafile], join(root, 'dist/cli/licenses.txt'));
}
console.log(`build: ${selected.length} action bundle(s): ${selected.join(', ')}`);
