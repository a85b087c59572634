// Commit-back under contention: 8 processes (8 runs on 8 runners) commit different dates to one
// branch of a bare repository that refuses non-fast-forward pushes, starting at the same instant.
// Reported: did all land, retries per run (median, worst), wall time against the same 8 commits
// made one after another, and how many would land with a single push and no retry (what
// git-auto-commit-action does by design) — all measured in the same run.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { NODE24, ROOT, median, printTable, record } from './lib.mjs';

const WRITERS = Number(process.env.BENCH_WRITERS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const work = mkdtempSync(join(tmpdir(), 'cc-bench-commit-back-'));
const ID = {
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
};
const git = (cwd, ...args) =>
  execFileSync('git', args, {
    cwd,
    env: { ...process.env, ...ID },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();

try {
  // The commit-back code exactly as the actions bundle it, run by each writer process.
  const worker = join(work, 'worker.mjs');
  await build({
    stdin: {
      contents: `
        import { commitBack } from './src/lib/git/index.ts';
        const args = JSON.parse(process.argv[2]);
        const wait = args.startAt - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const t0 = Date.now();
        try {
          const r = await commitBack(args.options);
          process.stdout.write(JSON.stringify({ ok: true, attempts: r.attempts, rebases: r.rebases, sha: r.commitSha, ms: Date.now() - t0 }));
        } catch (e) {
          process.stdout.write(JSON.stringify({ ok: false, error: String(e.message).slice(0, 200), attempts: e.attempts ?? args.options.pushAttempts, ms: Date.now() - t0 }));
        }
      `,
      resolveDir: ROOT,
      sourcefile: 'worker.ts',
      loader: 'ts',
    },
    outfile: worker,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    logLevel: 'warning',
  });

  /** A fresh origin (configured like the stack's) and one shallow detached checkout per writer. */
  const setup = (round, label) => {
    const dir = join(work, `${label}-${round}`);
    const origin = join(dir, 'origin.git');
    execFileSync('git', ['init', '-q', '--bare', origin]);
    git(origin, 'config', 'receive.denyNonFastForwards', 'true');
    const seed = join(dir, 'seed');
    mkdirSync(seed, { recursive: true });
    git(seed, 'init', '-q', '-b', 'main');
    writeFileSync(join(seed, 'README.md'), '# status\n');
    git(seed, 'add', '.');
    git(seed, 'commit', '-q', '-m', 'seed');
    git(seed, 'push', '-q', origin, 'HEAD:refs/heads/main');
    const repos = [];
    for (let i = 0; i < WRITERS; i++) {
      const repo = join(dir, `runner-${i}`);
      mkdirSync(repo);
      git(repo, 'init', '-q');
      git(repo, 'remote', 'add', 'origin', origin);
      git(repo, 'fetch', '-q', '--depth=1', 'origin', '+refs/heads/main:refs/remotes/origin/main');
      git(repo, 'checkout', '-q', '--detach', 'origin/main');
      const date = `2026-12-${String(i + 1).padStart(2, '0')}`;
      mkdirSync(join(repo, 'docs/sprints/status', date, 'evidence'), { recursive: true });
      writeFileSync(join(repo, 'docs/sprints/status', `${date}.md`), `# Integration Day ${date}\n`);
      writeFileSync(
        join(repo, 'docs/sprints/status', date, 'evidence/manifest.json'),
        `{"date":"${date}"}\n`,
      );
      repos.push({ repo, date });
    }
    return { origin, repos, seed: git(origin, 'rev-parse', 'main') };
  };

  const runWriter = (r, pushAttempts, startAt) =>
    new Promise((resolve) => {
      const options = {
        repoDir: r.repo,
        branch: 'main',
        message: `chore: evidence for ${r.date} [skip ci]`,
        paths: [`docs/sprints/status/${r.date}.md`, `docs/sprints/status/${r.date}/evidence`],
        pushAttempts,
      };
      const child = spawn(NODE24, [worker, JSON.stringify({ startAt, options })], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.on('close', () => resolve(JSON.parse(out || '{"ok":false,"error":"no output"}')));
    });

  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Contended: all writers at once, retries allowed.
    const c = setup(round, 'contended');
    const startAt = Date.now() + 1500;
    const results = await Promise.all(c.repos.map((r) => runWriter(r, 20, startAt)));
    const wallMs = Math.max(...results.map((r) => r.ms));
    const landed = Number(git(c.origin, 'rev-list', '--count', `${c.seed}..main`));
    const merges = git(c.origin, 'rev-list', '--merges', 'main');
    const allOk =
      results.every((r) => r.ok) &&
      landed === WRITERS &&
      merges === '' &&
      results.every((r) => git(c.origin, 'merge-base', '--is-ancestor', r.sha, 'main') === '');

    // Peer 1: the same commits one after another, no contention.
    const s = setup(round, 'sequential');
    const seq = [];
    for (const r of s.repos) seq.push(await runWriter(r, 20, 0));
    const seqMs = seq.reduce((n, r) => n + r.ms, 0);

    // Peer 2: all at once with a single push and no retry.
    const o = setup(round, 'no-retry');
    const once = await Promise.all(o.repos.map((r) => runWriter(r, 1, Date.now() + 1500)));
    const onceLanded = once.filter((r) => r.ok).length;

    rounds.push({
      allOk,
      landed,
      retries: results.map((r) => r.attempts - 1),
      rebases: results.map((r) => r.rebases ?? 0),
      wallMs,
      seqMs,
      onceLanded,
      errors: results.filter((r) => !r.ok).map((r) => r.error),
    });
    rmSync(join(work, `contended-${round}`), { recursive: true, force: true });
    rmSync(join(work, `sequential-${round}`), { recursive: true, force: true });
    rmSync(join(work, `no-retry-${round}`), { recursive: true, force: true });
  }

  const retries = rounds.flatMap((r) => r.retries);
  const wall = median(rounds.map((r) => r.wallMs));
  const seq = median(rounds.map((r) => r.seqMs));
  console.log(
    `\ncommit-back, ${WRITERS} writers on one branch (denyNonFastForwards), ${ROUNDS} rounds; backoff 250 ms..4 s, jittered`,
  );
  printTable(
    [
      'round',
      'all landed',
      'commits',
      'retries per writer (sorted)',
      'contended wall ms',
      'sequential ms',
      'landed without retry',
    ],
    rounds.map((r, i) => [
      i + 1,
      r.allOk ? 'yes' : `NO ${r.errors.join('; ')}`,
      r.landed,
      [...r.retries].sort((a, b) => a - b).join(','),
      r.wallMs,
      r.seqMs,
      `${r.onceLanded}/${WRITERS}`,
    ]),
  );
  console.log(
    `retries per writer: median ${median(retries)}, worst ${Math.max(...retries)}; contended wall / sequential: ${(wall / seq).toFixed(2)}x; without retries ${median(rounds.map((r) => r.onceLanded))} of ${WRITERS} land (median)`,
  );
  record('commit-back', {
    writers: WRITERS,
    rounds: ROUNDS,
    allLanded: rounds.every((r) => r.allOk),
    medianRetries: median(retries),
    worstRetries: Math.max(...retries),
    contendedWallMs: wall,
    sequentialMs: seq,
    ratioVsSequential: +(wall / seq).toFixed(2),
    landedWithoutRetry: median(rounds.map((r) => r.onceLanded)),
  });
  if (!rounds.every((r) => r.allOk)) process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
