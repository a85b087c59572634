import { cp, mkdir, mkdtemp, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { isInside } from '../../lib/real-path.js';
import { tmpdir } from 'node:os';
import { glob } from 'tinyglobby';
import { ConfigurationError } from '../../lib/errors.js';
import { artifactClient, artifactServiceMissing, uploadArtifact } from '../../lib/evidence/artifact.js';
import type { HandoffRecord } from '../../lib/evidence/step-results.js';
import { smokeFilesOf } from '../../lib/evidence/file-layout.js';
import type { Shard } from '../../actions/smoke-suite/shards.js';

/** Artifacts this action makes start with this; `collect` takes only these. */
export const HANDOFF_PREFIX = 'command-center-handoff-';

/** The record of what a job handed over, at the root of its artifact. */
const MANIFEST = 'handoff.json';

/**
 * Every job of a matrix has the same job id; a shard's hand-off is told apart by its share, a
 * Kafka cluster's by its name.
 */
const PART_SUFFIX = /^(.+?)(?:--shard-(\d+)-of-(\d+)|--cluster-([A-Za-z0-9._-]+))?$/;

/** Which entry of a job matrix handed over: a smoke shard, or a Kafka cluster. */
export interface MatrixPart {
  shard?: Shard;
  cluster?: string;
}

/**
 * `command-center-handoff-<job>-<attempt>`, one per job and attempt so re-runs never clash; a
 * shard's (`k/n`) is `<job>--shard-<k>-of-<n>` and a cluster's `<job>--cluster-<name>`, so the
 * entries of one matrix never clash either.
 */
export function handoffName(job: string, attempt: string, part: MatrixPart = {}): string {
  const suffix = part.shard
    ? `--shard-${part.shard.index}-of-${part.shard.count}`
    : part.cluster
      ? `--cluster-${part.cluster}`
      : '';
  return `${HANDOFF_PREFIX}${job.replace(/[^A-Za-z0-9_.-]+/g, '-')}${suffix}-${attempt}`;
}

export interface HandedArtifact extends MatrixPart {
  /** The job id (the same for every entry of a matrix). */
  job: string;
  /** `<job>`, or with its matrix entry's suffix: one per entry, where its files are kept apart. */
  key: string;
  name: string;
  id: number;
}

/**
 * For each job (and each shard of a matrix job), the artifact of its latest attempt (a re-run job
 * supersedes its earlier attempt).
 */
export function latestPerJob(names: readonly { name: string; id: number }[]): HandedArtifact[] {
  const best = new Map<string, HandedArtifact & { attempt: number }>();
  for (const a of names) {
    const m = new RegExp(`^${HANDOFF_PREFIX}(.+)-(\\d+)$`).exec(a.name);
    if (!m) continue;
    const [, key, attempt] = m;
    const [, job, index, count, cluster] = PART_SUFFIX.exec(key!)!;
    const prev = best.get(key!);
    if (!prev || Number(attempt) > prev.attempt)
      best.set(key!, {
        job: job!,
        key: key!,
        ...(index ? { shard: { index: Number(index), count: Number(count) } } : {}),
        ...(cluster ? { cluster } : {}),
        name: a.name,
        id: a.id,
        attempt: Number(attempt),
      });
  }
  return [...best.values()]
    .sort((a, b) => a.key.localeCompare(b.key))
    .map(({ attempt: _attempt, ...rest }) => rest);
}

export interface HandoffPlan {
  resultsDir: string;
  workspace: string;
  files: readonly string[];
  job: string;
  attempt: string;
  /** In a job matrix: the entry this job ran. */
  part?: MatrixPart;
}

/**
 * Uploads this job's JSON results (and any other files named) as one short-lived artifact. The
 * results are the files the actions write to `$RUNNER_TEMP/command-center/`; other files keep their
 * path relative to the workspace under `files/`.
 */
export async function handOff(
  plan: HandoffPlan,
  log: (l: string) => void,
): Promise<{ name: string; files: number }> {
  const missing = artifactServiceMissing();
  if (missing) throw new ConfigurationError(`hand-off: ${missing}`);
  const stage = await mkdtemp(join(tmpdir(), 'cc-handoff-'));
  try {
    const staged: string[] = [];
    if (existsSync(plan.resultsDir)) {
      for (const f of (await readdir(plan.resultsDir)).filter((n) => n.endsWith('.json')).sort()) {
        await mkdir(join(stage, 'results'), { recursive: true });
        await cp(join(plan.resultsDir, f), join(stage, 'results', f));
        staged.push(join(stage, 'results', f));
      }
    }
    // The files a smoke-suite result names (each suite's JUnit reports and attempt logs) go with it
    // wherever the suites wrote them: the evidence files them under junit/ and logs/ by these names.
    const named = await namedByResults(staged, plan.workspace);
    const matched = plan.files.length
      ? await glob([...plan.files], { cwd: plan.workspace, onlyFiles: true, dot: false, absolute: true })
      : [];
    if (named.length) log(`hand-off: ${named.length} file(s) the smoke-suite result names (reports, logs)`);
    const realWorkspace = await realpath(plan.workspace);
    for (const abs of [...new Set([...matched, ...named])].sort()) {
      const rel = relative(plan.workspace, abs);
      if (!isInside(plan.workspace, abs) || rel.split(sep).includes('.git')) continue;
      // Never what a symbolic link in the workspace points at outside it.
      if (!isInside(realWorkspace, await realpath(abs))) {
        log(`hand-off: ${rel} leads outside the workspace through a symbolic link; not handed over`);
        continue;
      }
      await mkdir(join(stage, 'files', rel, '..'), { recursive: true });
      await cp(abs, join(stage, 'files', rel));
      staged.push(join(stage, 'files', rel));
    }
    const name = handoffName(plan.job, plan.attempt, plan.part);
    // Always uploaded, even with nothing else: the evidence job then knows the job got this far, and
    // what it handed over.
    const manifest = {
      job: plan.job,
      attempt: plan.attempt,
      ...(plan.part?.shard ? { shard: `${plan.part.shard.index}/${plan.part.shard.count}` } : {}),
      ...(plan.part?.cluster ? { cluster: plan.part.cluster } : {}),
      files: staged.map((f) => relative(stage, f)),
    };
    await writeFile(join(stage, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    if (staged.length === 0)
      log(
        `hand-off: no results in ${plan.resultsDir}${plan.files.length ? ' and no matching files' : ''}; handing over the job's record only`,
      );
    const up = await uploadArtifact({
      name,
      root: stage,
      files: [join(stage, MANIFEST), ...staged],
      retentionDays: 1,
      log,
    });
    log(`hand-off: ${staged.length} file(s) uploaded as ${up.name} (${up.size} bytes)`);
    return { name: up.name, files: staged.length };
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

/** The workspace files the smoke-suite results among `results` name, that exist. */
async function namedByResults(results: readonly string[], workspace: string): Promise<string[]> {
  const out: string[] = [];
  for (const file of results) {
    let envelope: { action?: unknown; result?: unknown };
    try {
      envelope = JSON.parse(await readFile(file, 'utf8')) as typeof envelope;
    } catch {
      continue; // not a step result: collect says what it makes of it
    }
    if (envelope?.action !== 'smoke-suite') continue;
    for (const suite of smokeFilesOf(envelope.result).suites)
      for (const path of [...suite.reports, ...suite.logs.map((l) => l.path)]) {
        const abs = resolve(workspace, path);
        if (existsSync(abs) && statSync(abs).isFile()) out.push(abs);
      }
  }
  return out;
}

/**
 * Downloads every job's hand-off artifact of this run: results into `resultsDir`, other files into
 * `filesDir/<job>/` under their path in the job's workspace, and writes the record of which job
 * handed over what (`recordPath`). Returns how many files arrived.
 */
export async function collect(
  opts: { resultsDir: string; filesDir: string; recordPath: string },
  log: (l: string) => void,
): Promise<number> {
  const missing = artifactServiceMissing();
  if (missing) throw new ConfigurationError(`collect: ${missing}`);
  const client = await artifactClient();
  const { artifacts } = await client.listArtifacts({ latest: true });
  const picked = latestPerJob(artifacts);
  if (picked.length === 0) {
    log('collect: no job handed over any results (did every job fail before its actions ran?)');
    return 0;
  }
  let count = 0;
  await mkdir(opts.resultsDir, { recursive: true });
  // Which job handed over each result: evidence-archive counts a step's result only from its own job.
  const record: HandoffRecord = { results: {} };
  for (const a of picked) {
    const into = await mkdtemp(join(tmpdir(), 'cc-collect-'));
    try {
      await client.downloadArtifact(a.id, { path: into });
      const results = join(into, 'results');
      if (existsSync(results)) {
        for (const f of await readdir(results)) {
          // Same file name from two jobs (two helm-deploy steps, the shards of a matrix): keep both.
          const target = existsSync(join(opts.resultsDir, f))
            ? join(opts.resultsDir, `${a.key}-${f}`)
            : join(opts.resultsDir, f);
          await cp(join(results, f), target);
          record.results[resolve(target)] = {
            job: a.job,
            artifact: a.name,
            ...(a.shard ? { shard: `${a.shard.index}/${a.shard.count}` } : {}),
            ...(a.cluster ? { cluster: a.cluster } : {}),
            ...(basename(target) !== f ? { name: f } : {}),
          };
          count++;
        }
      }
      const files = join(into, 'files');
      if (existsSync(files)) {
        // Each shard's files apart: its suites' logs are named by its own result.
        const target = resolve(opts.filesDir, a.key);
        await mkdir(target, { recursive: true });
        await cp(files, target, { recursive: true });
        // The path each file had in the job's workspace: the evidence folder names it by that.
        const handed = await glob('**/*', { cwd: files, onlyFiles: true, dot: true });
        for (const rel of handed.sort())
          (record.files ??= {})[join(target, rel)] = { job: a.key, artifact: a.name, path: rel };
        count += handed.length;
      }
      log(
        `collect: ${a.name} from job ${a.job}${a.shard ? `, shard ${a.shard.index}/${a.shard.count}` : ''}`,
      );
    } finally {
      await rm(into, { recursive: true, force: true });
    }
  }
  await mkdir(dirname(opts.recordPath), { recursive: true });
  await writeFile(opts.recordPath, `${JSON.stringify(record, null, 2)}\n`);
  return count;
}
