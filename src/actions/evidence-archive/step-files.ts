import { readFile } from 'node:fs/promises';
import { toError } from '../../lib/errors.js';
import type { RunInfo } from '../../lib/step-result.js';
import { collectFiles, type CollectedFile } from '../../lib/evidence/collect.js';
import {
  describeCollected,
  layOutFiles,
  smokeFilesOf,
  type SmokeFiles,
} from '../../lib/evidence/file-layout.js';
import { LAYOUT, resultNames } from '../../lib/evidence/layout.js';
import type { ReportResult } from '../../lib/evidence/report.js';
import { clusterOf, isEnvelope, type AnyEnvelope } from '../../lib/evidence/results.js';
import type { EvidenceStage } from '../../lib/evidence/stage.js';
import { mergeShards, shardOf } from '../../lib/evidence/shard-merge.js';
import {
  admitResults,
  type Candidate,
  type HandoffRecord,
  type Refused,
} from '../../lib/evidence/step-results.js';
import type { ArchivePlan } from './inputs.js';

/** Result files larger than this are archived but not parsed for the report. */
const MAX_PARSED_RESULT = 64 * 1024 * 1024;

export interface CollectedSteps {
  results: ReportResult[];
  unreadable: { source: string; reason: string }[];
}

/**
 * Stages every collected file and decides which of them are the steps' results: only JSON results
 * in `step-results`, from the job that runs that step (see admitResults). Everything else,
 * including result-shaped files found elsewhere, is archived as a plain file with a note.
 */
export async function stageCollectedFiles(o: {
  plan: ArchivePlan;
  stage: EvidenceStage;
  exclude: string[];
  startedAt: Date;
  run: RunInfo;
  problems: string[];
  log: (line: string) => void;
}): Promise<CollectedSteps> {
  const { plan, stage, problems, log } = o;
  const steps = await collectFiles(plan.stepResults, o.exclude);
  const other = await collectFiles(plan.results, o.exclude);
  for (const u of [...steps.unmatched, ...other.unmatched]) log(`no file matches ${u}`);
  const stepPaths = new Set(steps.files.map((f) => f.abs));
  const files = [...steps.files, ...other.files.filter((f) => !stepPaths.has(f.abs))];
  const handoff = await readHandoff(plan.handoffRecord);

  const candidates: StepCandidate[] = [];
  const plain: CollectedFile[] = [];
  const unreadable: { source: string; reason: string }[] = [];
  for (const file of files) {
    const { source, name } = describeCollected(file, handoff);
    const parsed = await readEnvelope(file, name);
    if ('error' in parsed) unreadable.push({ source, reason: parsed.error });
    const envelope = 'envelope' in parsed ? parsed.envelope : undefined;
    if (!envelope || envelope.action === 'evidence-archive') {
      plain.push(file);
    } else if (!stepPaths.has(file.abs)) {
      problems.push(
        `${source} looks like a ${envelope.action} result but is not in step-results: archived as a plain file, not counted`,
      );
      plain.push(file);
    } else {
      const handedBy = handoff?.results[String(file.abs)]?.job;
      const job = handedBy ?? envelope.run?.job;
      candidates.push({
        file,
        envelope,
        source,
        jobFromHandoff: handedBy !== undefined,
        ...(job ? { job } : {}),
      });
    }
  }

  const sharded = await mergeShardResults(candidates, plan, o.stage, problems, log);
  const { admitted, refused } = admitResults(
    [...candidates.filter((c) => !shardOf(c.envelope)), ...sharded.merged],
    plan.expectedSteps,
  );
  for (const r of [...sharded.refused, ...refused]) {
    problems.push(`${r.candidate.source}: ${r.reason}`);
    const { file } = r.candidate as StepCandidate;
    if (file) plain.push(file);
  }
  const names = resultNames(
    admitted.map((a) => {
      // A Kafka cluster's result is named by its cluster (kafka-topic-check-<cluster>).
      const by = clusterOf(a.candidate.envelope.result) ?? a.candidate.job;
      return { action: a.candidate.envelope.action, ...(by ? { job: by } : {}), source: a.candidate.source };
    }),
  );
  const results: ReportResult[] = [];
  const smokeFiles: SmokeSource[] = [];
  for (const [i, a] of admitted.entries()) {
    const { envelope, file, shards } = a.candidate as StepCandidate;
    const meta = {
      kind: 'result' as const,
      source: a.candidate.source,
      capturedAt: validDate(envelope.finishedAt) ?? o.startedAt,
      run: envelope.run ?? o.run,
      action: envelope.action,
      status: a.status,
    };
    // A merged result has no file of its own: it is written as one runner would have written it.
    const entry = file
      ? await stage.addFile(file.abs, LAYOUT.result(names[i]!), meta)
      : await stage.addText(LAYOUT.result(names[i]!), `${JSON.stringify(envelope, null, 2)}\n`, meta);
    // The report reads the archived (scrubbed) copy, so nothing it quotes can carry a secret.
    const archived = JSON.parse(await readFile(stage.pathOf(entry.path), 'utf8')) as AnyEnvelope;
    results.push({
      envelope: { ...archived, status: a.status as AnyEnvelope['status'] },
      entry,
      ...(a.note ? { note: a.note } : {}),
      ...(a.status !== envelope.status ? { overruled: true } : {}),
    });
    if (envelope.action === 'smoke-suite') {
      // Each shard's logs came from its own job of the matrix, named by its own result.
      const result = results[results.length - 1]!;
      for (const from of shards ?? [{ envelope, job: a.candidate.job }])
        smokeFiles.push({ files: smokeFilesOf(from.envelope.result, from.job), result });
    }
    log(`result ${envelope.action}: ${a.status}${a.note ? ` (${a.note})` : ''} (${a.candidate.source})`);
  }
  await stagePlainFiles({ plain, smoke: smokeFiles, reserved: results, handoff, stage, problems });
  for (const u of unreadable)
    problems.push(`${u.source} is not valid JSON (${u.reason}); archived as a plain file`);
  log(`${results.length} step result(s) and ${plain.length} other file(s) archived`);
  return { results, unreadable };
}

/**
 * The other files, each where the layout puts it (see file-layout.ts): a smoke attempt's log under
 * logs/, and so on, named by what the admitted smoke-suite results say about them. The logs are
 * attached to their smoke result for the report.
 */
async function stagePlainFiles(o: {
  plain: CollectedFile[];
  /** What each smoke result (or shard of one) says about its files, and the result it belongs to. */
  smoke: SmokeSource[];
  /** The archived results, whose paths are taken. */
  reserved: ReportResult[];
  handoff: HandoffRecord | undefined;
  stage: EvidenceStage;
  problems: string[];
}): Promise<void> {
  const described = o.plain.map((f) => describeCollected(f, o.handoff));
  const placed = layOutFiles(
    described.map((d) => d.layout),
    o.smoke.map((s) => s.files),
    o.reserved.flatMap((r) => (r.entry ? [r.entry.path] : [])),
  );
  for (const [i, file] of o.plain.entries()) {
    const { source, note } = described[i]!;
    const { path, log } = placed[i]!;
    if (note) o.problems.push(`${source}: ${note}`);
    await o.stage.addFile(file.abs, path, { kind: 'file', source });
    if (log) {
      const { result } = o.smoke[log.result]!;
      (result.logs ??= []).push({ suite: log.suite, attempt: log.attempt, entry: { path } });
    }
  }
}

/** A step result found in `step-results`, or the merge of a matrix job's shards (no file of its own). */
type StepCandidate = Candidate & {
  file?: CollectedFile;
  /** For a merge: each shard's result and the hand-off key its files came under. */
  shards?: { envelope: AnyEnvelope; job?: string }[];
};

interface SmokeSource {
  files: SmokeFiles;
  result: ReportResult;
}

/**
 * The shards of a sharded smoke job, merged into the one smoke-suite result the day counts (see
 * shard-merge.ts). Each shard's own result is archived under results/shards/ beside it; a shard
 * result from a job that does not run the suites is refused like any other result.
 */
async function mergeShardResults(
  candidates: readonly StepCandidate[],
  plan: ArchivePlan,
  stage: EvidenceStage,
  problems: string[],
  log: (line: string) => void,
): Promise<{ merged: StepCandidate[]; refused: Refused[] }> {
  const shards = candidates.filter((c) => shardOf(c.envelope));
  if (shards.length === 0) return { merged: [], refused: [] };
  const checked = admitResults(shards, plan.expectedSteps);
  const from = checked.admitted.map((a) => a.candidate as StepCandidate);
  if (from.length === 0) return { merged: [], refused: checked.refused };
  for (const c of from) {
    const s = shardOf(c.envelope)!;
    await stage.addFile(c.file!.abs, `results/shards/smoke-suite-${s.index}-of-${s.count}.json`, {
      kind: 'file',
      source: c.source,
    });
  }
  const expected = plan.expectedSteps['smoke-suite']?.shards;
  const merged = mergeShards(
    from.map((c) => ({ envelope: c.envelope, source: c.source })),
    expected,
  );
  problems.push(...merged.problems);
  const { spread } = merged;
  log(
    `smoke-suite: ${from.length} of ${spread.count} shard(s) reported${spread.missing.length ? `; missing: ${spread.missing.map((i) => `${i}/${spread.count}`).join(', ')}` : ''}; merged into one result`,
  );
  const job = from[0]!.job;
  return {
    merged: [
      {
        envelope: merged.envelope,
        source: `${from.length} shard result(s) of ${spread.count}, merged`,
        jobFromHandoff: from.every((c) => c.jobFromHandoff),
        ...(job ? { job } : {}),
        shards: from.map((c) => {
          const s = shardOf(c.envelope)!;
          const key = c.jobFromHandoff && c.job ? `${c.job}--shard-${s.index}-of-${s.count}` : c.job;
          return { envelope: c.envelope, ...(key ? { job: key } : {}) };
        }),
      },
    ],
    refused: checked.refused,
  };
}

async function readEnvelope(
  file: CollectedFile,
  name: string,
): Promise<{ envelope: AnyEnvelope } | { error: string } | { none: true }> {
  if (!name.endsWith('.json') || file.size > MAX_PARSED_RESULT) return { none: true };
  try {
    const value: unknown = JSON.parse(await readFile(file.abs, 'utf8'));
    return isEnvelope(value) ? { envelope: value } : { none: true };
  } catch (err) {
    return { error: toError(err).message.split('\n')[0]! };
  }
}

async function readHandoff(path: string): Promise<HandoffRecord | undefined> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as HandoffRecord;
    return value && typeof value === 'object' && value.results && typeof value.results === 'object'
      ? value
      : undefined;
  } catch {
    return undefined;
  }
}

function validDate(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
