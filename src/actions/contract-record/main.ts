import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  finishStep,
  group,
  log,
  maskSecret,
  readInputs,
  runInfo,
  workspace,
} from '../../lib/action/index.js';
import { CheckFailedError, ConfigurationError } from '../../lib/errors.js';
import { writeTextFile } from '../../lib/files.js';
import { refuseSymlinks } from '../../lib/owned-paths.js';
import { redactor, redactUrl } from '../../lib/redact.js';
import { normalizedJson } from '../../lib/contracts/normalize.js';
import {
  sha256,
  type IndexEntry,
  type RecordedKind,
  type RecordingIndex,
} from '../../lib/contracts/recording.js';
import { renderReadme, type ReadmeService, type ReadmeTopic } from '../../lib/contracts/readme.js';
import { forgeOfRun } from '../../lib/forge/index.js';
import { deliverCommit, renderPullRequestBody, type CommitOutcome } from '../../lib/git/index.js';
import { planRecording } from './inputs.js';
import { metadata } from './metadata.js';
import { recordService, sampleTopics } from './record.js';
import { buildAnnotations, indexService, renderSummary, resultOf, type Recorded } from './render.js';

export async function main(): Promise<void> {
  const startedAt = new Date();
  const inputs = readInputs(metadata.inputs);
  const ws = workspace();
  const plan = planRecording(inputs, ws, process.env, startedAt);
  for (const secret of plan.secrets) maskSecret(secret);
  const pr = plan.commit?.pullRequest;
  const forge = pr ? forgeOfRun({ token: pr.token, apiUrl: pr.apiUrl, log: log.info }) : undefined;
  const { abs: outDir, rel: outRel } = plan.out;
  await refuseSymlinks(ws, outRel, "input 'output-dir':");
  if (existsSync(outDir) && (await readdir(outDir)).length > 0 && !existsSync(join(outDir, 'index.json'))) {
    throw new ConfigurationError(
      `input 'output-dir': ${outRel} already holds files that are not a recording (no index.json); choose an empty folder`,
    );
  }

  const files: IndexEntry[] = [];
  const contents = new Map<string, string>();
  const put = (path: string, kind: RecordedKind, text: string, extra: Partial<IndexEntry> = {}) => {
    const redacted = redactor.redact(text);
    contents.set(path, redacted);
    files.push({ path, kind, sha256: sha256(redacted), bytes: Buffer.byteLength(redacted), ...extra });
  };
  const services: ReadmeService[] = [];
  const topics: ReadmeTopic[] = [];
  const asyncapis: { service: string; value: unknown; path: string }[] = [];
  const problems: string[] = [];
  for (const svc of plan.endpoints.services) {
    await group(`Record ${svc.name} (${redactUrl(svc.url)})`, async () => {
      services.push(
        await recordService(svc, plan.runbooks[svc.name], plan.requestTimeoutMs, put, asyncapis, problems),
      );
    });
  }
  const kafka = plan.kafka;
  if (kafka) {
    await group(`Sample ${kafka.topics.length} topic(s)`, async () => {
      topics.push(...(await sampleTopics(kafka, asyncapis, put, problems)));
    });
  }

  const recordedAt = new Date().toISOString();
  put(
    'README.md',
    'readme',
    renderReadme({ date: plan.date, recordedAt, services, topics, files: [...files], dir: outRel }),
  );
  const index: RecordingIndex = {
    schemaVersion: 1,
    date: plan.date,
    recordedAt,
    files: [...files].sort((a, b) => (a.path < b.path ? -1 : 1)),
    services: services.map(indexService),
  };
  await group(`Write ${outRel}/`, async () => {
    if (existsSync(outDir)) await rm(outDir, { recursive: true, force: true });
    for (const [p, text] of contents) await writeTextFile(join(outDir, p), text);
    await writeTextFile(join(outDir, 'index.json'), normalizedJson(index));
    log.info(`${files.length + 1} file(s) written to ${outRel}/`);
  });

  let commit: Recorded['commit'];
  let delivered: CommitOutcome | undefined;
  if (plan.commit) {
    const c = plan.commit;
    const where = c.mode === 'push' ? c.branch : `a pull request from ${c.branch} into ${c.target}`;
    const run = runInfo();
    delivered = await group(`Commit ${outRel} to ${where}`, () =>
      deliverCommit(
        c,
        { repoDir: ws, paths: [outRel], log: log.info },
        forge && {
          forge,
          body: (changed) =>
            renderPullRequestBody({
              what: 'Contract recording',
              action: 'contract-record',
              date: plan.date,
              head: c.branch,
              files: changed,
              ...(run.url ? { runUrl: run.url } : {}),
            }),
        },
      ),
    );
    const r = delivered.commit;
    commit = { sha: r.commitSha, branch: c.branch };
    log.info(
      r.upToDate
        ? `${r.files.length ? c.branch : c.target} already has this recording`
        : `pushed ${r.commitSha} to ${c.branch} after ${r.attempts} attempt(s)`,
    );
  }

  const recorded: Recorded = {
    date: plan.date,
    outRel,
    services,
    topics,
    files: index.files,
    problems,
    ...(commit ? { commit } : {}),
    ...(delivered?.pullRequest ? { pullRequest: delivered.pullRequest } : {}),
    ...(delivered?.warnings.length ? { commitWarnings: delivered.warnings } : {}),
  };
  const signatures = services.flatMap((s) => s.signatures);
  await finishStep({
    action: 'contract-record',
    startedAt,
    resultPath: plan.resultPath,
    status: problems.length ? 'failure' : 'success',
    result: resultOf(recorded),
    outputs: {
      'output-dir': outRel,
      'index-path': join(outRel, 'index.json'),
      'commit-sha': commit?.sha ?? '',
      'pull-request-number': delivered?.pullRequest ? String(delivered.pullRequest.number) : '',
      'pull-request-url': delivered?.pullRequest?.url ?? '',
      files: index.files.length + 1,
      'signatures-verified': signatures.length === 0 ? '' : String(signatures.every((s) => s.check.verified)),
    },
    summary: renderSummary(recorded),
    summaryFullAt: join(outRel, 'README.md'),
    annotations: buildAnnotations(recorded),
    ...(problems.length
      ? {
          fail: new CheckFailedError(
            `${problems.length} problem(s) in the recording (it was written so they can be read): ${problems.join('; ')}`,
          ),
        }
      : {}),
  });
}
