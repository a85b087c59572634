import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ensureBuilt } from '../support/build.js';
import { ROOT } from '../support/paths.js';
import type { Manifest } from '../../src/lib/evidence/manifest.js';
import { needsServers } from '../support/servers.js';

needsServers();

// The artifact upload runs for real: the bundled action inside a workflow that act runs on the host,
// talking the v4 artifact protocol to act's artifact server; a later step downloads the artifact
// back with @actions/artifact, and the bytes are compared with what the action archived.

const SECRET = 'act-secret-value-93f1c2';
let scratch: string;
let act: string;

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const filesUnder = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath, d.name)))
    .sort();

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

beforeAll(() => {
  ensureBuilt();
  scratch = mkdtempSync(join(tmpdir(), 'cc-evidence-act-'));
  try {
    act = execFileSync('bash', [join(ROOT, 'tools/act/build.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    })
      .trim()
      .split('\n')
      .pop()!;
  } catch (err) {
    throw new Error(
      `act could not be built: run \`bash tools/act/build.sh\` (needs Go and the Go module proxy). ${(err as { stderr?: string }).stderr ?? ''}`,
    );
  }
}, 900_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("evidence-archive uploads its bundle through the v4 artifact protocol (act's artifact server)", () => {
  it('the artifact downloads back byte-identical to what was archived, large files included', async () => {
    const repo = join(scratch, 'repo');
    const out = join(scratch, 'out');
    const store = join(scratch, 'artifact-store');
    mkdirSync(join(repo, '.github/workflows'), { recursive: true });
    mkdirSync(join(repo, 'results'), { recursive: true });
    mkdirSync(out);
    mkdirSync(store);
    cpSync(join(ROOT, 'actions/evidence-archive'), join(repo, 'actions/evidence-archive'), {
      recursive: true,
    });
    cpSync(join(ROOT, 'dist/evidence-archive'), join(repo, 'dist/evidence-archive'), { recursive: true });
    writeFileSync(
      join(repo, 'results/helm-deploy.json'),
      JSON.stringify({
        action: 'helm-deploy',
        schemaVersion: 1,
        status: 'success',
        startedAt: '2026-11-25T17:00:00Z',
        finishedAt: '2026-11-25T17:01:00Z',
        run: {},
        result: { release: 'core', revision: 3, note: `password=${SECRET}` },
      }),
    );
    // Binary and over max-file-size: it must reach the artifact untouched, and only the artifact.
    const big = randomBytes(300 * 1024);
    writeFileSync(join(repo, 'results/capture.bin'), big);
    writeFileSync(
      join(repo, 'download.mjs'),
      `
      import { DefaultArtifactClient } from ${JSON.stringify(join(ROOT, 'node_modules/@actions/artifact/lib/artifact.js'))};
      const r = await new DefaultArtifactClient().downloadArtifact(Number(process.argv[2]), { path: process.argv[3] });
      if (r.digestMismatch) throw new Error('digest mismatch on download');
      console.log('downloaded to', r.downloadPath);
    `,
    );
    writeFileSync(
      join(repo, '.github/workflows/evidence.yml'),
      `
name: evidence
on: workflow_dispatch
jobs:
  archive:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: ev
        uses: ./actions/evidence-archive
        with:
          date: 2026-11-25
          results: results/*
          commit: false
          max-file-size: 100KiB
          dashboard-auth-header: "Authorization: Bearer ${SECRET}"
      - run: node download.mjs "\${{ steps.ev.outputs.artifact-id }}" "${join(out, 'downloaded')}"
      - run: |
          cp -R docs "${join(out, 'workspace-docs')}"
          printf '%s\\n%s\\n' "\${{ steps.ev.outputs.artifact-id }}" "\${{ steps.ev.outputs.artifact-url }}" > "${join(out, 'outputs.txt')}"
`,
    );
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: repo,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 'T',
          GIT_AUTHOR_EMAIL: 't@e',
          GIT_COMMITTER_NAME: 'T',
          GIT_COMMITTER_EMAIL: 't@e',
        },
      });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'workflow');

    const port = await freePort();
    const run = await new Promise<{ code: number | null; log: string }>((resolve) => {
      // Host mode runs node24 actions with the `node` on PATH: Node 24 from node_modules comes first.
      const child = spawn(
        act,
        [
          'workflow_dispatch',
          '-P',
          'ubuntu-latest=-self-hosted',
          '--artifact-server-path',
          store,
          '--artifact-server-addr',
          '127.0.0.1',
          '--artifact-server-port',
          String(port),
          '--no-cache-server',
        ],
        {
          cwd: repo,
          env: {
            ...process.env,
            PATH: `${join(ROOT, 'node_modules/node/bin')}:${process.env.PATH}`,
            ACT_DISABLE_VERSION_CHECK: '1',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let log = '';
      child.stdout.on('data', (d: Buffer) => (log += d.toString()));
      child.stderr.on('data', (d: Buffer) => (log += d.toString()));
      child.on('close', (code) => resolve({ code, log }));
    });
    expect(run.code, run.log.slice(-4000)).toBe(0);

    const [artifactId, artifactUrl = ''] = readFileSync(join(out, 'outputs.txt'), 'utf8').split('\n');
    expect(artifactId).toMatch(/^\d+$/);
    // Under act there is no artifact page on GitHub to link to (act makes up the run id), so no URL.
    expect(artifactUrl).toBe('');

    // What the server stored: one zip under the run, named by the default name (date, run id, attempt).
    const zip = join(store, '1', 'integration-day-2026-11-25-1-1', 'integration-day-2026-11-25-1-1.zip');
    expect(existsSync(zip)).toBe(true);
    const downloaded = join(out, 'downloaded');
    const names = filesUnder(downloaded);
    expect(
      execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .filter((n) => !n.endsWith('/'))
        .sort(),
    ).toEqual(names);
    for (const n of names)
      expect(
        readFileSync(join(downloaded, n)).equals(
          execFileSync('unzip', ['-p', zip, n], { maxBuffer: 64 * 1024 * 1024 }),
        ),
        n,
      ).toBe(true);

    // Every file the manifest lists is in the artifact with exactly the hash the action recorded.
    const manifest = JSON.parse(readFileSync(join(downloaded, 'manifest.json'), 'utf8')) as Manifest;
    expect(names).toEqual([...manifest.files.map((f) => f.path), 'README.md', 'manifest.json'].sort());
    for (const f of manifest.files) {
      const bytes = readFileSync(join(downloaded, f.path));
      expect(sha(bytes), f.path).toBe(f.sha256);
      expect(bytes.length).toBe(f.size);
    }
    // The large binary file: artifact only, and byte for byte the file the workspace had.
    const capture = manifest.files.find((f) => f.path === 'files/results/capture.bin')!;
    expect(capture.stored).toBe('artifact');
    expect(readFileSync(join(downloaded, capture.path)).equals(big)).toBe(true);

    // The repository copy is the same bytes for everything it holds (the manifest included).
    const committed = join(out, 'workspace-docs/sprints/status/2026-11-25/evidence');
    expect(
      readFileSync(join(committed, 'manifest.json')).equals(readFileSync(join(downloaded, 'manifest.json'))),
    ).toBe(true);
    for (const f of manifest.files.filter((x) => x.stored === 'repository')) {
      expect(
        readFileSync(join(committed, f.path)).equals(readFileSync(join(downloaded, f.path))),
        f.path,
      ).toBe(true);
    }
    expect(existsSync(join(committed, capture.path))).toBe(false);
    const index = readFileSync(join(committed, 'README.md'), 'utf8');
    expect(index).toContain('only in the workflow artifact `integration-day-2026-11-25-1-1`');
    expect(index).not.toContain('https://github.com/');

    // Nothing secret in the artifact either.
    for (const n of names)
      expect(readFileSync(join(downloaded, n)).toString('latin1'), n).not.toContain(SECRET);
  }, 600_000);
});
