import { existsSync } from 'node:fs';
import { group, log, type StepEnd } from '../../lib/action/index.js';
import { ConfigurationError } from '../../lib/errors.js';
import { readTextInside } from '../../lib/real-path.js';
import { ForgePermissionError, forgeOfRun } from '../../lib/forge/index.js';
import { runPageUrl } from '../../lib/step-result.js';
import type { DriftReportPlan } from './inputs.js';
import { postDriftReport, readHandoff, reportMissingResult } from './pull-request.js';

/**
 * `mode: report`: posts the verdict a check run handed over on its pull request (a commit status on
 * the head commit and the sticky comment). Runs in the companion workflow, which has write access and
 * never checks out the pull request: the handed-over file is read as data and checked against the
 * head commit the event names.
 */
export async function reportOnPullRequest(
  plan: DriftReportPlan,
  ws: string,
  startedAt: Date,
): Promise<StepEnd<unknown>> {
  const forge = forgeOfRun({ token: plan.token, apiUrl: plan.apiUrl, log: (line) => log.info(line) });
  const detailsUrl = plan.detailsUrl ?? runPageUrl();
  if (!existsSync(plan.handoff.path)) {
    await reportMissingResult(forge, { headSha: plan.headSha, ...(detailsUrl ? { detailsUrl } : {}) });
    throw new ConfigurationError(
      `input 'handoff': the file ${plan.handoff.file} does not exist: the check run handed over no result ` +
        `(it failed before comparing, see its run); the status design-drift on ${plan.headSha} is set to error`,
    );
  }
  const text = await readTextInside(ws, plan.handoff.path, "input 'handoff': the file");
  const handoff = readHandoff(text, plan.handoff.file, plan.headSha);
  const outcome = await group(`Report on pull request #${handoff.pullRequest.number}`, () =>
    postDriftReport(forge, handoff, { headSha: plan.headSha, ...(detailsUrl ? { detailsUrl } : {}) }),
  ).catch((err: unknown) => {
    if (!(err instanceof ForgePermissionError)) throw err;
    throw new ConfigurationError(
      `${err.message}; the job running mode: report needs the permissions statuses: write and pull-requests: write (and actions: read to download the result), or a token that has them (input 'token')`,
    );
  });
  log.info(
    `status ${outcome.status.context}=${outcome.status.state} on ${outcome.headSha}; comment: ${outcome.comment.outcome}${outcome.comment.reason ? ` (${outcome.comment.reason})` : ''}`,
  );
  const summary = [
    `## Design drift reported on pull request #${outcome.pullRequest}`,
    '',
    `- commit status \`${outcome.status.context}\`: **${outcome.status.state}** on \`${outcome.headSha}\` (${outcome.status.description})`,
    `- sticky comment: **${outcome.comment.outcome}**${outcome.comment.reason ? ` (${outcome.comment.reason})` : ''}`,
    '',
  ].join('\n');
  return {
    action: 'design-drift',
    startedAt,
    resultPath: plan.resultPath,
    status: 'success',
    result: { mode: 'report', forge: forge.kind, ...outcome },
    outputs: { status: outcome.status.state, comment: outcome.comment.outcome },
    summary,
  };
}
