import { finishStep, group, log, maskSecret, readInputs, workspace } from '../../lib/action/index.js';
import { CheckFailedError, toError } from '../../lib/errors.js';
import { PULSE_SECTION } from '../../lib/evidence/pulse.js';
import { writeStatusSection } from '../../lib/evidence/status-section.js';
import type { CommitBackResult } from '../../lib/git/index.js';
import { planPulse } from './inputs.js';
import { metadata } from './metadata.js';
import { runPulse } from './pulse.js';
import { buildAnnotations, renderStatusSection, renderSummary } from './render.js';

export async function main(): Promise<void> {
  const startedAt = new Date();
  const inputs = readInputs(metadata.inputs);
  const ws = workspace();
  const plan = planPulse(inputs, ws, process.env);
  // Connection strings (and the passwords in them) are masked before anything could print them.
  for (const secret of plan.secrets) maskSecret(secret);

  const what = [
    plan.kafka ? 'Kafka' : undefined,
    plan.redis.length ? `${plan.redis.length} Redis` : undefined,
    plan.postgres.length ? `${plan.postgres.length} PostgreSQL` : undefined,
    plan.alerts ? `alerts (${plan.alerts.source})` : undefined,
    plan.targets ? 'scrape targets' : undefined,
  ].filter(Boolean);
  const report = await group(`Infra Pulse ${plan.date}: ${what.join(', ')}, in parallel`, () =>
    runPulse(plan, { log: log.info }),
  );
  log.info(`${report.verdict}: ${report.headline} (${report.wallMs} ms)`);

  let commit: CommitBackResult | undefined;
  let statusError: Error | undefined;
  const status = plan.status;
  if (status) {
    commit = await group(`Writing the ${PULSE_SECTION} section of ${status.fileRel}`, () =>
      writeStatusSection({
        repoDir: ws,
        file: status.file,
        fileRel: status.fileRel,
        section: PULSE_SECTION,
        content: renderStatusSection(report, status.fileRel),
        ...(plan.commit ? { commit: plan.commit } : {}),
        tempDir: process.env.RUNNER_TEMP || undefined,
        log: log.info,
      }),
    ).catch((err: unknown) => {
      statusError = toError(err);
      return undefined;
    });
  }

  const failed = report.checks.filter((c) => c.status === 'FAIL').length;
  const unknown = report.checks.filter((c) => c.status === 'UNKNOWN').length;
  const fail = !report.ready
    ? new CheckFailedError(`required dependency down: ${report.blocking.join(', ')} — ${report.headline}`)
    : statusError;
  await finishStep({
    action: 'infra-pulse',
    startedAt,
    resultPath: inputs.resultPath,
    status: report.ready && !statusError ? 'success' : 'failure',
    result: {
      ...report,
      ...(status ? { statusFile: status.fileRel } : {}),
      commit: commit ?? (statusError ? { error: statusError.message } : null),
    },
    outputs: {
      verdict: report.verdict,
      ready: report.ready,
      blocking: JSON.stringify(report.blocking),
      'checks-failed': failed,
      'checks-unknown': unknown,
      'firing-alerts': report.alerts.firing,
      'in-maintenance': report.alerts.inMaintenance,
      'planned-maintenance': report.maintenance.length,
      'status-file': status?.fileRel ?? '',
      'commit-sha': commit?.commitSha ?? '',
    },
    summary: (resultPath) =>
      `${renderSummary(report, resultPath)}${statusError ? `\n**Status file not written**: ${statusError.message}\n` : commit?.pushed ? `\nCommitted \`${commit.commitSha.slice(0, 12)}\` to \`${commit.branch}\` (${commit.attempts} push attempt(s), ${commit.rebases} rebase(s)).\n` : ''}`,
    annotations: [
      ...buildAnnotations(report),
      ...(statusError
        ? [
            {
              level: 'error' as const,
              title: 'infra-pulse: status file',
              message: statusError.message,
              rank: -1,
            },
          ]
        : []),
    ],
    ...(fail ? { fail } : {}),
  });
}
