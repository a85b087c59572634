import { readFile } from 'node:fs/promises';
import { toError } from '../../lib/errors.js';
import type { RunInfo } from '../../lib/step-result.js';
import { collectFiles, type CollectedFile } from '../../lib/evidence/collect.js';
import { describeCollected, layOutFiles, smokeFilesOf } from '../../lib/evidence/file-layout.js';
import { LAYOUT, resultNames } from '../../lib/evidence/layout.js';
import type { ReportResult } from '../../lib/evidence/report.js';
import { isEnvelope, type AnyEnvelope } from '../../lib/evidence/results.js';
import type { EvidenceStage } from '../../lib/evidence/stage.js';
import { admitResults, type Candidate, type HandoffRecord } from '../../lib/evidence/step-results.js';
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

  const candidates: (Candidate & { file: CollectedFile })[] = [];
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

  const { admitted, refused } = admitResults(candidates, plan.expectedSteps);
  for (const r of refused) {
    problems.push(`${r.candidate.source}: ${r.reason}`);
    plain.push((r.candidate as (typeof candidates)[number]).file);
  }
  const names = resultNames(
    admitted.map((a) => ({
      action: a.candidate.envelope.action,
      ...(a.candidate.job ? { job: a.candidate.job } : {}),
      source: a.candidate.source,
    })),
  );
  const results: ReportResult[] = [];
  const jobs: (string | undefined)[] = [];
  for (const [i, a] of admitted.entries()) {
    const { envelope, file } = a.candidate as (typeof candidates)[number];
    const entry = await stage.addFile(file.abs, LAYOUT.result(names[i]!), {
      kind: 'result',
      source: a.candidate.source,
      capturedAt: validDate(envelope.finishedAt) ?? o.startedAt,
      run: envelope.run ?? o.run,
      action: envelope.action,
      status: a.status,
    });
    // The report reads the archived (scrubbed) copy, so nothing it quotes can carry a secret.
    const archived = JSON.parse(await readFile(stage.pathOf(entry.path), 'utf8')) as AnyEnvelope;
    results.push({
      envelope: { ...archived, status: a.status as AnyEnvelope['status'] },
      entry,
      ...(a.note ? { note: a.note } : {}),
      ...(a.status !== envelope.status ? { overruled: true } : {}),
    });
    jobs.push(a.candidate.job);
    log(`result ${envelope.action}: ${a.status}${a.note ? ` (${a.note})` : ''} (${a.candidate.source})`);
  }
  await stagePlainFiles({ plain, results, jobs, handoff, stage, problems });
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
  results: ReportResult[];
  /** The job of each result (same order), as admitted. */
  jobs: (string | undefined)[];
  handoff: HandoffRecord | undefined;
  stage: EvidenceStage;
  problems: string[];
}): Promise<void> {
  const smokeResults = o.results.flatMap((r, i) => (r.envelope.action === 'smoke-suite' ? [{ r, i }] : []));
  const smoke = smokeResults.map(({ r, i }) => smokeFilesOf(r.envelope.result, o.jobs[i]));
  const described = o.plain.map((f) => describeCollected(f, o.handoff));
  const placed = layOutFiles(
    described.map((d) => d.layout),
    smoke,
    o.results.flatMap((r) => (r.entry ? [r.entry.path] : [])),
  );
  for (const [i, file] of o.plain.entries()) {
    const { source, note } = described[i]!;
    const { path, log } = placed[i]!;
    if (note) o.problems.push(`${source}: ${note}`);
    await o.stage.addFile(file.abs, path, { kind: 'file', source });
    if (log) {
      const result = smokeResults[log.result]!.r;
      (result.logs ??= []).push({ suite: log.suite, attempt: log.attempt, entry: { path } });
    }
  }
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
