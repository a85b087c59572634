import { finishStep, group, log, readInputs, workspace } from '../../lib/action/index.js';
import { writeTextFile } from '../../lib/files.js';
import { forgeOfRun } from '../../lib/forge/index.js';
import { commitBack } from '../../lib/git/index.js';
import { BACKLOG_MARKER, backlogItems, renderBacklog } from './grid.js';
import { planBacklog } from './inputs.js';
import { metadata } from './metadata.js';

export async function main(): Promise<void> {
  const startedAt = new Date();
  const inputs = readInputs(metadata.inputs);
  const ws = workspace();
  const plan = planBacklog(inputs, ws, process.env, startedAt);
  const forge = forgeOfRun({
    token: plan.token,
    apiUrl: plan.apiUrl,
    repository: plan.repository,
    log: log.info,
  });

  const issues = await group(`Issues of ${plan.repository}`, async () => {
    const open = await forge.listPlannedIssues({ labels: plan.labels, state: 'open' });
    const since = new Date(startedAt.getTime() - plan.doneDays * 86_400_000);
    const closed =
      plan.doneDays > 0
        ? (await forge.listPlannedIssues({ labels: plan.labels, state: 'closed', since })).filter(
            (i) => i.closedAt !== undefined && Date.parse(i.closedAt) >= since.getTime(),
          )
        : [];
    log.info(`${open.length} open, ${closed.length} closed in the last ${plan.doneDays} day(s)`);
    return [...open, ...closed];
  });
  const items = backlogItems(issues, startedAt, plan.rules);
  const text = renderBacklog({
    repository: plan.repository,
    asOf: plan.asOf,
    timezone: inputs.timezone,
    rules: plan.rules,
    items,
    doneDays: plan.doneDays,
  });
  await writeTextFile(plan.file.abs, text);
  log.info(`${plan.file.rel} written: ${items.length} item(s)`);

  let commitSha = '';
  if (plan.commit) {
    const c = plan.commit;
    const r = await group(`Commit ${plan.file.rel} to ${c.branch}`, () =>
      commitBack({
        repoDir: ws,
        paths: [plan.file.rel],
        claims: [{ path: plan.file.rel, marker: BACKLOG_MARKER }],
        branch: c.branch,
        message: c.message,
        log: log.info,
      }),
    );
    commitSha = r.commitSha;
    log.info(r.upToDate ? `${c.branch} already has this grid` : `pushed ${r.commitSha} to ${c.branch}`);
  }

  const open = items.filter((i) => i.open);
  const counts = {
    items: items.length,
    'no-owner': open.filter((i) => i.owners.length === 0).length,
    'cross-squad-blockers': open.filter((i) => i.blocker && i.crossSquad).length,
    idle: open.filter((i) => i.idle).length,
    'rolled-forward': open.filter((i) => i.rolledForward).length,
  };
  await finishStep({
    action: 'backlog-grid',
    startedAt,
    resultPath: plan.resultPath,
    status: 'success',
    result: { repository: plan.repository, asOf: plan.asOf, path: plan.file.rel, commitSha, counts, items },
    outputs: { path: plan.file.rel, ...counts, 'commit-sha': commitSha },
    summary: text.slice(text.indexOf('\n') + 1),
    summaryFullAt: plan.file.rel,
    annotations: open
      .filter((i) => i.blocker && i.crossSquad)
      .map((i) => ({
        level: 'warning' as const,
        title: `Cross-squad blocker #${i.number}`,
        message: `${i.url} ${i.title} (${i.owners.length ? i.owners.join(', ') : 'no owner'})`,
      })),
  });
}
