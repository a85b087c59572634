import { readFile } from 'node:fs/promises';
import { finishStep, group, log, maskSecret, readInputs, workspace } from '../../lib/action/index.js';
import { toError } from '../../lib/errors.js';
import { PULSE_SECTION, WRAP_SECTION } from '../../lib/evidence/pulse.js';
import { sectionsOf } from '../../lib/evidence/sections.js';
import { writeStatusSection } from '../../lib/evidence/status-section.js';
import { formatDuration } from '../../lib/duration.js';
import type { CommitBackResult } from '../../lib/git/index.js';
import { PrometheusClient } from '../../lib/prometheus/client.js';
import { readContractHistory } from './history.js';
import { planWrap } from './inputs.js';
import { metadata } from './metadata.js';
import { pulseOf, renderWrapSection, wrapFacts, type WrapView } from './render.js';
import { snapshotPanels } from './snapshots.js';
import { gapVerdict } from './wrap.js';

export async function main(): Promise<void> {
  const startedAt = new Date();
  const inputs = readInputs(metadata.inputs);
  const ws = workspace();
  const plan = planWrap(inputs, ws, process.env);
  for (const v of Object.values(plan.prometheus?.headers ?? {})) maskSecret(v);

  // The status file as the checkout has it: the morning pulse's section is read from it. A file a
  // person wrote (no sections) is refused when the section is written, below.
  const existing = await readFile(plan.status.file, 'utf8').catch(() => undefined);
  let pulseSection: string | undefined;
  try {
    pulseSection = existing ? sectionsOf(existing, plan.status.fileRel)[PULSE_SECTION] : undefined;
  } catch {
    pulseSection = undefined;
  }
  const pulse = pulseOf(pulseSection);

  const history = await group(`Contract updates on ${plan.ref} since the previous wrap`, () =>
    readContractHistory({
      repoDir: ws,
      ref: plan.ref,
      date: plan.date,
      statusTemplate: plan.status.template,
      contractsDir: plan.contractsDir,
      declared: plan.declared,
      firstWindowDays: plan.firstWindowDays,
    }),
  );
  log.info(
    `since ${history.since.label}: ${history.recordings.length} new recording(s), ${history.declared.length} commit(s) to declared contracts`,
  );
  const prom = plan.prometheus;
  const panels = prom
    ? await group(`Metric snapshots from ${prom.url}`, () =>
        snapshotPanels({
          client: new PrometheusClient({ url: prom.url, headers: prom.headers, timeoutMs: 15_000 }),
          queries: plan.queries,
          end: startedAt,
          rangeMs: plan.metricsRangeMs,
        }),
      )
    : undefined;

  const view: WrapView = {
    date: plan.date,
    timeZone: plan.timeZone,
    wrappedAt: startedAt,
    ref: plan.ref,
    ...(pulse ? { pulse } : {}),
    ...(panels ? { panels } : {}),
    rangeLabel: `last ${formatDuration(plan.metricsRangeMs)}`,
    history,
    gap: gapVerdict(history.previous?.date, plan.date, plan.maxGapDays),
    maxGapDays: plan.maxGapDays,
    contractsDir: plan.contractsDir,
  };
  const section = renderWrapSection(view);

  let statusError: Error | undefined;
  const commit: CommitBackResult | undefined = await group(
    `Writing the ${WRAP_SECTION} section of ${plan.status.fileRel}`,
    () =>
      writeStatusSection({
        repoDir: ws,
        file: plan.status.file,
        fileRel: plan.status.fileRel,
        section: WRAP_SECTION,
        content: section,
        ...(plan.commit ? { commit: plan.commit } : {}),
        tempDir: process.env.RUNNER_TEMP || undefined,
        log: log.info,
      }),
  ).catch((err: unknown) => {
    statusError = toError(err);
    return undefined;
  });

  const facts = wrapFacts(view);
  await finishStep({
    action: 'daily-wrap',
    startedAt,
    resultPath: inputs.resultPath,
    status: statusError ? 'failure' : 'success',
    result: {
      ...facts,
      statusFile: plan.status.fileRel,
      since: history.since,
      recordings: history.recordings,
      declared: history.declared,
      panels: panels ?? null,
      commit: commit ?? (statusError ? { error: statusError.message } : null),
    },
    outputs: {
      'pulse-verdict': facts.pulse,
      'new-recordings': JSON.stringify(history.recordings.map((r) => r.folder)),
      'declared-changes': history.declared.length,
      'previous-wrap': history.previous?.date ?? '',
      'missed-minimum': facts.missedMinimum,
      'status-file': plan.status.fileRel,
      'commit-sha': commit?.commitSha ?? '',
    },
    summary: `${section.replace(/<!--[^\n]*-->\n?/g, '')}\n${statusError ? `\n**Status file not written**: ${statusError.message}\n` : commit?.pushed ? `\nCommitted \`${commit.commitSha.slice(0, 12)}\` to \`${commit.branch}\` (${commit.attempts} push attempt(s), ${commit.rebases} rebase(s)).\n` : ''}`,
    annotations: [
      ...(view.gap.missed
        ? [
            {
              level: 'warning' as const,
              title: 'daily-wrap: twice-a-week minimum missed',
              message: `The previous wrap was on ${history.previous?.date}, ${view.gap.days} days ago (more than ${plan.maxGapDays}).`,
            },
          ]
        : []),
      ...(statusError
        ? [{ level: 'error' as const, title: 'daily-wrap: status file', message: statusError.message }]
        : []),
    ],
    ...(statusError ? { fail: statusError } : {}),
  });
}
