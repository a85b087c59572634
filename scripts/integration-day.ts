// The Integration Day on the local stack: runs .github/workflows/integration-day.yml with act on this
// host — the same workflow, actions and bundles a team runs on GitHub — against the stack's Kubernetes
// control plane, Kafka, Prometheus and the staging stand-in. The origin is a repository on the stack's
// Gitea: the day commits its records there and files its follow-up issues there, as on GitHub.
// scripts/integration-day.sh installs, builds and starts everything first; this is its last phase.
//
// Usage: npm run integration-day [-- --date YYYY-MM-DD] [--skip-deploy] [--no-rollback] [--smoke-fail]
//        [--config FILE]   (another Integration Day configuration than the project's integration-day.config.yml)
// Env: STACK_STATE (the stack's state, default .stack), FORGE_REPOSITORY (the day's repository on the
//      forge, default platform/command-center; made when missing), INTEGRATION_DAY_DIR (checkout, log
//      and artifacts; default $STACK_STATE/integration-day)
import { execFileSync } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { Forge } from '../src/lib/forge/index.js';
import { actBinary, dayRepo, helmOnPath, runAct, type ActRecord } from './lib/act.js';
import { pulseSecrets } from './lib/stack-secrets.js';
import {
  ensureCollaborators,
  ensureRepository,
  gitCredentials,
  stackForge,
  type StackForge,
} from './lib/forge.js';

const ROOT = resolve(import.meta.dirname, '..');
const STATE = resolve(process.env.STACK_STATE ?? join(ROOT, '.stack'));
const REPOSITORY = process.env.FORGE_REPOSITORY ?? 'platform/command-center';
/** The checkout the day runs in, act's log and its artifact server's files. */
const WORK = resolve(process.env.INTEGRATION_DAY_DIR ?? join(STATE, 'integration-day'));
const BRANCH = 'main';
/** What each day commits; the next run keeps it when it brings the origin up to date with the project. */
const DAY_RECORDS = ['docs/sprints/status', 'docs/design/contracts'];
/** The label evidence-archive puts on every follow-up issue. */
const FOLLOW_UP_LABEL = 'integration-day';

const USAGE =
  'usage: npm run integration-day [-- --date YYYY-MM-DD] [--skip-deploy] [--no-rollback] [--smoke-fail] [--config FILE]';
/** Where a configuration given with --config goes in the day's checkout (the workflow's `config` input). */
const GIVEN_CONFIG = 'integration-day.given.yml';

function options() {
  try {
    const { values } = parseArgs({
      options: {
        date: { type: 'string' },
        'skip-deploy': { type: 'boolean', default: false },
        'no-rollback': { type: 'boolean', default: false },
        // The staging stand-in's switch that makes one policy test fail: shows what a failed day looks like.
        'smoke-fail': { type: 'boolean', default: false },
        // A configuration of its own for this run (a group or topic to watch that the project's does not).
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    });
    if (values.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.date))
      throw new Error(`--date has value ${JSON.stringify(values.date)}; expected a date written YYYY-MM-DD`);
    if (values.config !== undefined && !existsSync(values.config))
      throw new Error(
        `--config has value ${JSON.stringify(values.config)}; expected an existing configuration file`,
      );
    return values;
  } catch (err) {
    process.stderr.write(`integration-day: ${(err as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
}

const elapsed = (since: number) => `${((Date.now() - since) / 1000).toFixed(0).padStart(4)}s`;

function need(path: string, what: string): string {
  if (!existsSync(path))
    throw new Error(`${what} is missing at ${path}; start the local stack with \`npm run stack:up\``);
  return path;
}

/** Helm 4 as the stack built it (stack/kube/env.sh knows where). */
function stackHelm(): string {
  const out = execFileSync('bash', ['-c', 'source stack/kube/env.sh >/dev/null && printf %s "$HELM4_BIN"'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return need(out.trim(), 'Helm 4');
}

async function main(): Promise<number> {
  const opts = options();
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const started = Date.now();
  const kubeconfig = need(join(STATE, 'kube/kubeconfig'), "The local Kubernetes control plane's kubeconfig");
  const helm = helmOnPath(stackHelm());
  process.stdout.write(`act: ${actBinary()}\n`);

  const configFile = opts.config ? resolve(opts.config) : join(ROOT, 'integration-day.config.yml');
  const forge = await stackForge(STATE);
  const origin = await ensureRepository(forge, REPOSITORY);
  await ensureCollaborators(forge, REPOSITORY, configuredAssignees(configFile));
  const repo = dayRepo({
    origin,
    branch: BRANCH,
    dir: join(WORK, 'repo'),
    keep: DAY_RECORDS,
    config: gitCredentials(forge),
  });
  const before = repo.git('rev-parse', 'HEAD');
  // Beside the project's files, not committed: the workflow reads it from the checkout act copies.
  if (opts.config) copyFileSync(configFile, join(repo.dir, GIVEN_CONFIG));
  process.stdout.write(
    `repository: ${repo.dir} (branch ${BRANCH} of ${origin}${repo.synced ? `; brought up to date in ${repo.synced.slice(0, 12)}` : ''})\n\n`,
  );

  const logFile = join(WORK, 'act.log');
  const log = createWriteStream(logFile);
  const inputs: Record<string, string> = {};
  if (opts.date) inputs.date = opts.date;
  if (opts['skip-deploy']) inputs['skip-deploy'] = 'true';
  if (opts['no-rollback']) inputs['rollback-on-smoke-failure'] = 'false';
  if (opts.config) inputs.config = GIVEN_CONFIG;

  const run = await runAct({
    repo,
    workflow: 'integration-day.yml',
    event: 'workflow_dispatch',
    inputs,
    env: {
      // What a Gitea or Forgejo runner gives every job: the forge's API and web root, the repository.
      GITHUB_API_URL: forge.apiUrl,
      GITHUB_SERVER_URL: forge.url,
      GITHUB_REPOSITORY: REPOSITORY,
      // evidence-archive screenshots with playwright-core from the project instead of installing it.
      PLAYWRIGHT_CORE_PATH: join(ROOT, 'node_modules/playwright-core'),
      ...(opts['smoke-fail'] ? { SMOKE_FAIL: '1' } : {}),
    },
    // The job's token (github.token) is the forge admin's: act masks it in every line it prints.
    secrets: {
      KUBECONFIG: readFileSync(kubeconfig, 'utf8'),
      GITHUB_TOKEN: forge.token,
      // The pulse's read-only Redis user and PostgreSQL role.
      ...pulseSecrets(STATE),
    },
    artifactDir: join(WORK, 'artifacts'),
    path: [helm],
    timeoutMs: 30 * 60_000,
    onLine: (line) => log.write(`${line}\n`),
    onRecord: progress(started),
  });
  await new Promise((r) => log.end(r));

  repo.git('pull', '-q', '--ff-only', 'origin', BRANCH);
  const commits = repo.git('log', '--format=%H %s', `${before}..HEAD`).split('\n').filter(Boolean);
  const evidenceCommit = commits
    .map((c) => /^([0-9a-f]{40}) .*Integration Day evidence for (\d{4}-\d{2}-\d{2})/.exec(c))
    .find(Boolean);
  const jobs = [...run.jobs.values()]
    .map(
      (j) => `${j.id} ${j.result === 'success' ? '✅' : j.result === 'failure' ? '❌' : (j.result ?? '—')}`,
    )
    .join(' · ');

  process.stdout.write(
    `\n== Integration Day ${run.exitCode === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(0)}s\n`,
  );
  process.stdout.write(`jobs: ${jobs}\n`);
  if (evidenceCommit) {
    const [, sha, date] = evidenceCommit;
    const status = `docs/sprints/status/${date}.md`;
    const evidence = `docs/sprints/status/${date}/evidence`;
    const files = repo
      .git('ls-tree', '-r', '--name-only', 'HEAD', '--', evidence)
      .split('\n')
      .filter(Boolean).length;
    process.stdout.write(`\nstatus report: ${join(repo.dir, status)}\n`);
    process.stdout.write(
      `evidence:      ${join(repo.dir, evidence)}/ (${files} files, SHA-256 in manifest.json)\n`,
    );
    process.stdout.write(
      `committed:     ${sha!.slice(0, 12)} on ${BRANCH} of ${origin}  (${forge.url}/${REPOSITORY}/src/branch/${BRANCH}/${status})\n`,
    );
    process.stdout.write(`artifacts:     ${join(run.artifactDir, run.runId)}/\n`);
    process.stdout.write(`\n${summary(readFileSync(join(repo.dir, status), 'utf8'))}\n`);
  } else {
    process.stdout.write(
      '\nNo status report was committed: the evidence job did not get to commit (see the log).\n',
    );
  }
  process.stdout.write(await followUps(forge, started));
  process.stdout.write(`\nfull log: ${logFile}\n`);
  return run.exitCode === 0 && evidenceCommit ? 0 : 1;
}

/** The forge usernames the configuration's evidence-archive `assignees` names (owners of follow-ups). */
function configuredAssignees(file: string): string[] {
  const config = parse(readFileSync(file, 'utf8')) as {
    'evidence-archive'?: { assignees?: Record<string, string | string[]> };
  };
  const logins = Object.values(config['evidence-archive']?.assignees ?? {}).flat();
  return [...new Set(logins)].sort();
}

/** The follow-up issues this run opened, commented on or closed, with their links, and where to log in. */
async function followUps(forge: StackForge, started: number): Promise<string> {
  // The forge's clock is this machine's: anything updated since the start was this run's doing.
  const since = new Date(started - 1000).toISOString();
  // The same forge client the actions use: it paginates and keeps only issues that carry the label.
  const client = new Forge({ token: forge.token, apiUrl: forge.apiUrl, repository: REPOSITORY });
  const touched = (await client.listIssues({ state: 'all', labels: [FOLLOW_UP_LABEL] }))
    .filter((i) => new Date(i.updatedAt).toISOString() >= since)
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  const lines = touched.map((i) => {
    const who = i.assignees.map((a) => `@${a}`).join(' ');
    return `  ${i.state === 'open' ? '🔴 open  ' : '✅ closed'} #${i.number} ${i.title}${who ? ` (${who})` : ''}\n           ${i.htmlUrl}\n`;
  });
  return (
    `\nfollow-up issues: ${lines.length ? `${lines.length} touched by this run\n${lines.join('')}` : 'none touched by this run\n'}` +
    `forge:         ${forge.url}/${REPOSITORY} (log in as ${forge.admin}, password in ${forge.passwordFile})\n`
  );
}

/** Job and step starts and ends as they happen, with the time since the start. */
function progress(started: number): (rec: ActRecord) => void {
  const done = new Set<string>();
  return (rec) => {
    // act names jobs `<workflow>/<job name>`, padded to one width.
    const job = (rec.job ?? '').replace(/^[^/]*\//, '').trim();
    const msg = rec.msg?.trim() ?? '';
    if (rec.jobResult && !done.has(job)) {
      done.add(job);
      process.stdout.write(
        `${elapsed(started)}  ${rec.jobResult === 'success' ? '✅' : '❌'} ${job}: ${rec.jobResult}\n`,
      );
    } else if (rec.stepResult && rec.stage === 'Main') {
      process.stdout.write(
        `${elapsed(started)}      ${rec.stepResult === 'success' ? '✓' : rec.stepResult === 'skipped' ? '·' : '✗'} ${rec.step}${rec.stepResult === 'success' ? '' : ` (${rec.stepResult})`}\n`,
      );
    } else if (msg.startsWith('⭐ Run Main')) {
      process.stdout.write(`${elapsed(started)}    ${job} ▸ ${msg.replace('⭐ Run Main ', '')}\n`);
    } else if (/^(❗|::error)/u.test(msg) || (rec.level === 'error' && msg)) {
      process.stdout.write(`${elapsed(started)}      ${msg.split('\n')[0]!.slice(0, 300)}\n`);
    }
  };
}

/** The report's title, its headline and its "At a glance" table. */
function summary(report: string): string {
  const lines = report.split('\n');
  const headline = lines.find((l) => /^(✅|❌|⚠️)/u.test(l)) ?? '';
  const at = lines.indexOf('## At a glance');
  const table: string[] = [];
  for (let i = at + 1; at >= 0 && i < lines.length && !lines[i]!.startsWith('## '); i++)
    if (lines[i]!.startsWith('|')) table.push(lines[i]!);
  const title = lines.find((l) => l.startsWith('# ')) ?? '';
  return [title, '', headline, '', ...table].join('\n');
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`integration-day: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
