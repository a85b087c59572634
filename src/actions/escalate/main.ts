import { finishStep, group, log, readInputs } from '../../lib/action/index.js';
import { ConfigurationError } from '../../lib/errors.js';
import { forgeOfRun, ForgePermissionError } from '../../lib/forge/index.js';
import { decideEscalation, renderEscalation, type Blocker, type Decision } from './decide.js';
import { planEscalation } from './inputs.js';
import { metadata } from './metadata.js';
import { renderSummary, type Escalated, type EscalationResult } from './report.js';

export async function main(): Promise<void> {
  const startedAt = new Date();
  const plan = planEscalation(readInputs(metadata.inputs), process.env);
  const forge = forgeOfRun({
    token: plan.token,
    apiUrl: plan.apiUrl,
    repository: plan.repository,
    log: log.info,
  });

  const looked: { blocker: Blocker; decision: Decision }[] = [];
  await group(`Open issues labelled '${plan.blockerLabel}' in ${plan.repository}`, async () => {
    for (const issue of await forge.listIssues({ labels: [plan.blockerLabel], state: 'open' })) {
      const blocker: Blocker = { ...issue, comments: await forge.listComments(issue.number) };
      const decision = decideEscalation(blocker, new Date(), plan.rules);
      looked.push({ blocker, decision });
      log.info(`#${issue.number} ${decision.escalate ? 'escalate' : 'leave'}: ${decision.why}`);
    }
  });

  const escalated: Escalated[] = [];
  let refused: string | undefined;
  await group('Escalate', async () => {
    for (const { blocker, decision } of looked.filter((l) => l.decision.escalate)) {
      try {
        // The label first, the comment last: the comment's time then explains the issue's updated_at.
        await forge.addLabels(blocker.number, [plan.escalationLabel]);
        const comment = await forge.comment(
          blocker.number,
          renderEscalation(blocker, decision, {
            team: plan.team,
            escalationLabel: plan.escalationLabel,
            staleAfterMs: plan.rules.staleAfterMs,
          }),
        );
        escalated.push({
          number: blocker.number,
          url: blocker.htmlUrl,
          quietMs: decision.quietMs,
          at: comment.createdAt,
        });
        log.info(`#${blocker.number} escalated: ${blocker.htmlUrl}`);
      } catch (err) {
        if (!(err instanceof ForgePermissionError)) throw err;
        refused = `${err.message}; escalation needs a token with \`issues: write\``;
        break;
      }
    }
  });

  const result: EscalationResult = {
    repository: plan.repository,
    team: plan.team,
    staleAfterMs: plan.rules.staleAfterMs,
    repeatAfterMs: plan.rules.repeatAfterMs,
    blockers: looked.map(({ blocker, decision }) => ({
      ...decision,
      title: blocker.title,
      url: blocker.htmlUrl,
      owners: blocker.assignees,
    })),
    escalated,
    ...(refused ? { refused } : {}),
  };
  await finishStep({
    action: 'escalate',
    startedAt,
    resultPath: plan.resultPath,
    status: refused ? 'failure' : 'success',
    result,
    outputs: {
      blockers: looked.length,
      escalated: escalated.length,
      issues: JSON.stringify(escalated.map((e) => ({ number: e.number, url: e.url, quietFor: e.quietMs }))),
    },
    summary: renderSummary(result),
    annotations: escalated.map((e) => ({
      level: 'warning' as const,
      title: `Blocker #${e.number} escalated`,
      message: `${e.url} had no update for longer than the rule allows`,
    })),
    ...(refused ? { fail: new ConfigurationError(refused) } : {}),
  });
}
