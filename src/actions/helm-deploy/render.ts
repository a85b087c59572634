import type { Annotation } from '../../lib/annotations.js';
import { formatDuration } from '../../lib/duration.js';
import { table } from '../../lib/markdown.js';
import type { DeployResult, ReleaseSetResult, SetReleaseResult, WorkloadSummary } from './model.js';

const ICON: Record<SetReleaseResult['status'], string> = {
  deployed: '✅',
  failed: '❌',
  'rolled-back': '↩️',
  uninstalled: '🗑️',
  skipped: '⏭️',
  unchanged: '➖',
};
const STATE_ICON: Record<WorkloadSummary['state'], string> = {
  ready: '✅',
  progressing: '⏳',
  failed: '❌',
  timeout: '❌',
  missing: '❌',
  stopped: '⏹️',
  'not-run': '⏭️',
};

export function renderSummary(r: DeployResult, paths: { result: string; diagnostics?: string }): string {
  const out: string[] = [];
  const rev = r.revision !== undefined ? ` revision ${r.revision}` : '';
  out.push(`## helm-deploy: ${ICON[r.status]} ${r.release} ${r.status}${rev}`, '');
  out.push(
    table(
      [
        'release',
        'namespace',
        'chart',
        'helm',
        'mode',
        'status',
        'revision',
        'previous revision',
        'duration',
      ],
      [
        [
          r.release,
          r.namespace,
          r.chart,
          r.helmVersion,
          r.mode,
          r.status,
          r.revision ?? '',
          r.previousRevision ?? '',
          formatDuration(r.durationMs),
        ],
      ],
    ),
  );
  if (r.budgetWarning) out.push('', `> ⚠️ ${r.budgetWarning}`);
  if (r.unverified) out.push('', `> ⚠️ Not verified: ${r.unverified}.`);
  if (r.recovered)
    out.push(
      '',
      `> ♻️ Recovered a release stuck in \`${r.recovered.from}\` (revision ${r.recovered.revision}) by ${r.recovered.action === 'rollback' ? `rolling back to revision ${r.recovered.to}` : 'uninstalling the unfinished first install'}.`,
    );
  if (r.failure) out.push('', `**Failure:** ${r.failure}`);
  if (r.bug)
    out.push(
      '',
      `> 🐞 This is a bug in helm-deploy, not in the release: please report it. The release was left as helm deployed it.`,
    );
  if (r.verification) {
    out.push(
      '',
      `### Rollout (verified in parallel: ${formatDuration(r.verification.wallMs)} wall time; ${formatDuration(r.verification.sumMs)} if waited one by one)`,
      '',
    );
    out.push(
      table(
        ['', 'workload', 'state', 'time', 'detail'],
        r.verification.workloads.map((w) => [
          STATE_ICON[w.state],
          `${w.kind}/${w.name}${w.hook ? ` (${w.hook.join(', ')} hook)` : ''}`,
          w.state,
          w.durationMs !== undefined ? formatDuration(w.durationMs) : '',
          w.message,
        ]),
      ),
    );
  }
  out.push(...diagnosticsLines(r, '###'));
  if (r.diagnostics?.length && paths.diagnostics) out.push('', `Full diagnostics: \`${paths.diagnostics}\``);
  out.push(...diffLines(r, '###'));
  out.push('', `Result: \`${paths.result}\``);
  return out.join('\n');
}

/** What the deploy changes, object by object (the `diff` input), under a heading of the given level. */
function diffLines(r: Pick<DeployResult, 'diff'>, level: string): string[] {
  const out: string[] = [];
  if (r.diff) {
    out.push('', `${level} Changes against the deployed release (${r.diff.length} object(s))`, '');
    if (!r.diff.length) out.push('No changes.');
    for (const c of r.diff) {
      const what = `${c.change}${c.hook ? ` (${c.hook.join(', ')} hook)` : ''}: ${c.from ? `${c.from} → ` : ''}${c.object}`;
      out.push(
        c.patch
          ? `<details><summary>${what}</summary>\n\n\`\`\`diff\n${c.patch.slice(0, 20_000)}\n\`\`\`\n</details>`
          : `- ${what} (unchanged since the deployed revision)`,
      );
    }
  }
  return out;
}

/** The failing workloads' pods, events and logs, under headings of the given level. */
function diagnosticsLines(r: Pick<DeployResult, 'diagnostics'>, level: string): string[] {
  const out: string[] = [];
  if (r.diagnostics?.length) {
    out.push('', `${level} Diagnostics`, '');
    for (const d of r.diagnostics) {
      out.push(
        `${level}# ${d.kind}/${d.name}${d.hook ? ` (${d.hook.join(', ')} hook)` : ''} — ${d.status}`,
        '',
      );
      const bad = d.pods.filter((p) => !p.ready);
      if (bad.length)
        out.push(
          table(
            ['pod', 'phase', 'restarts', 'node', 'why not ready'],
            bad.slice(0, 10).map((p) => [p.name, p.phase, p.restarts, p.node ?? '', p.reasons.join('; ')]),
          ),
          '',
        );
      if (d.events.length)
        out.push(
          'Recent events:',
          '',
          table(
            ['type', 'reason', 'object', 'message', 'count'],
            d.events.slice(0, 10).map((e) => [e.type, e.reason, e.object, e.message, e.count]),
          ),
          '',
        );
      for (const l of d.logs.slice(0, 3))
        out.push(
          l.text
            ? `<details><summary>logs of ${l.pod}/${l.container}${l.previous ? ' (previous run)' : ''}</summary>\n\n\`\`\`\n${l.text.slice(-4000)}\n\`\`\`\n</details>`
            : `Logs of ${l.pod}/${l.container}: unavailable (${l.unavailable?.slice(0, 200)})`,
        );
    }
  }
  return out;
}

export function buildAnnotations(r: DeployResult): Annotation[] {
  const out: Annotation[] = [];
  if (r.budgetWarning)
    out.push({ level: 'warning', title: 'helm-deploy: timeout budget', message: r.budgetWarning, rank: 5 });
  if (r.unverified)
    out.push({
      level: 'warning',
      title: 'helm-deploy: rollout not verified',
      message: r.unverified,
      rank: 4,
    });
  if (r.recovered)
    out.push({
      level: 'notice',
      title: 'helm-deploy: recovered a stuck release',
      message: `release ${r.release} was stuck in ${r.recovered.from} (revision ${r.recovered.revision}); recovered by ${r.recovered.action}`,
      rank: 6,
    });
  for (const d of r.diagnostics ?? []) {
    const pod = d.pods.find((p) => !p.ready);
    const why = pod ? `pod ${pod.name}: ${pod.reasons[0] ?? pod.phase}` : d.status;
    const title = d.hook
      ? `helm-deploy: ${d.hook.join(', ')} hook ${d.kind}/${d.name} failed`
      : `helm-deploy: ${d.kind}/${d.name} did not become ready`;
    out.push({ level: 'error', title, message: `${d.kind}/${d.name} in ${d.namespace}: ${why}`, rank: 1 });
  }
  if (r.bug)
    out.push({ level: 'error', title: 'helm-deploy: a bug in helm-deploy', message: r.bug, rank: 0 });
  return out;
}

/** A release set: one row per release, grouped by wave, then what went wrong with each failed one. */
export function renderSetSummary(
  r: ReleaseSetResult,
  paths: { result: string; diagnostics?: string },
): string {
  const out: string[] = [];
  const icon = r.status === 'deployed' ? '✅' : '❌';
  if (r.mode === 'rollback') {
    const undone = r.releases.filter((x) => x.rolledBack).length;
    const left = r.releases.filter((x) => x.status === 'unchanged').length;
    out.push(
      `## helm-deploy: ${icon} release set ${r.status === 'deployed' ? 'rolled back' : 'rollback failed'}: ${undone} of ${r.releases.length} release(s) rolled back${left ? `, ${left} left unchanged` : ''} in ${r.waves.length} wave(s)`,
      '',
      `helm ${r.helmVersion}, at most ${r.maxParallel} release(s) at a time, ${formatDuration(r.durationMs)} in all. The waves run in reverse: a release is rolled back after every release that needs it; a release the deploy did not change is left as it is.`,
      '',
    );
  } else {
    const deployed = r.releases.filter((x) => x.status === 'deployed').length;
    out.push(
      `## helm-deploy: ${icon} release set ${r.status}: ${deployed} of ${r.releases.length} release(s) deployed in ${r.waves.length} wave(s)`,
      '',
      `helm ${r.helmVersion}, at most ${r.maxParallel} release(s) at a time, ${formatDuration(r.durationMs)} in all. A wave is a level of \`needs\`: a release starts as soon as the releases it needs are deployed; releases of a wave run in parallel.`,
      '',
    );
  }
  const t0 = Math.min(...r.releases.flatMap((x) => (x.startedAt !== undefined ? [x.startedAt] : [])));
  const at = (ms: number | undefined) =>
    ms === undefined || !Number.isFinite(t0) ? '' : `+${formatDuration(ms - t0)}`;
  out.push('### Waves', '');
  out.push(
    table(
      [
        'wave',
        '',
        'release',
        'namespace',
        'chart',
        'needs',
        'status',
        'revision',
        'started',
        'duration',
        'detail',
      ],
      r.waves.flatMap((w) =>
        w.releases.map((name) => {
          const x = r.releases.find((y) => y.release === name)!;
          const revision =
            x.previousRevision !== undefined || x.revision !== undefined
              ? `${x.previousRevision ?? '—'} → ${x.revision ?? '—'}`
              : '';
          return [
            w.wave,
            ICON[x.status],
            x.release,
            x.namespace,
            x.chart,
            x.needs.join(', '),
            x.status,
            revision,
            at(x.startedAt),
            x.status === 'skipped' ? '' : formatDuration(x.durationMs),
            x.status === 'unchanged'
              ? (x.detail ?? '')
              : x.status === 'skipped'
                ? r.mode === 'rollback'
                  ? `${x.blockedBy?.join(', ')}, which need it, did not roll back`
                  : `needs ${x.blockedBy?.join(', ')}, which did not deploy`
                : (x.failure ?? ''),
          ];
        }),
      ),
    ),
  );
  if (r.budgetWarning) out.push('', `> ⚠️ ${r.budgetWarning}`);
  if (r.failure) out.push('', `**Failure:** ${r.failure}`);
  for (const x of r.releases) {
    if (x.status === 'deployed' && !x.bug && !x.unverified && !x.recovered && !x.diff) continue;
    if (x.status === 'skipped' || x.status === 'unchanged') continue;
    out.push('', `### ${ICON[x.status]} ${x.release}: ${x.status}`, '');
    if (x.failure) out.push(`**Failure:** ${x.failure}`);
    if (x.rolledBack && x.mode === 'rollback')
      out.push(
        '',
        x.rolledBackTo === undefined
          ? 'Its first install was uninstalled.'
          : `Rolled back from revision ${x.previousRevision} to revision ${x.rolledBackTo} (now revision ${x.revision}).`,
      );
    else if (x.rolledBack)
      out.push(
        '',
        x.status === 'uninstalled'
          ? 'Its failed first install was removed.'
          : `Rolled back: revision ${x.revision} is deployed (it was ${x.previousRevision} before this step).`,
      );
    if (x.unverified) out.push('', `> ⚠️ Not verified: ${x.unverified}.`);
    if (x.recovered)
      out.push(
        '',
        `> ♻️ Recovered from \`${x.recovered.from}\` (revision ${x.recovered.revision}) by ${x.recovered.action}.`,
      );
    if (x.bug) out.push('', `> 🐞 A bug in helm-deploy, not in the release: ${x.bug}`);
    if (x.verification)
      out.push(
        '',
        table(
          ['', 'workload', 'state', 'time', 'detail'],
          x.verification.workloads.map((w) => [
            STATE_ICON[w.state],
            `${w.kind}/${w.name}${w.hook ? ` (${w.hook.join(', ')} hook)` : ''}`,
            w.state,
            w.durationMs !== undefined ? formatDuration(w.durationMs) : '',
            w.message,
          ]),
        ),
      );
    out.push(...diagnosticsLines(x, '####'));
    out.push(...diffLines(x, '####'));
  }
  if (paths.diagnostics) out.push('', `Full diagnostics: \`${paths.diagnostics}\``);
  out.push('', `Result: \`${paths.result}\``);
  return out.join('\n');
}

export function buildSetAnnotations(r: ReleaseSetResult): Annotation[] {
  const out: Annotation[] = [];
  if (r.budgetWarning)
    out.push({ level: 'warning', title: 'helm-deploy: timeout budget', message: r.budgetWarning, rank: 5 });
  for (const x of r.releases) {
    if (x.status === 'unchanged') continue;
    if (x.status === 'skipped') {
      out.push({
        level: 'warning',
        title: `helm-deploy: release ${x.release} skipped`,
        message:
          r.mode === 'rollback'
            ? `release ${x.release} in ${x.namespace} was not rolled back: ${x.blockedBy?.join(', ')}, which need it, did not roll back`
            : `release ${x.release} in ${x.namespace} was not deployed: it needs ${x.blockedBy?.join(', ')}, which did not deploy`,
        rank: 3,
      });
      continue;
    }
    const { budgetWarning: _, ...own } = x;
    const mine = buildAnnotations({ ...own, status: x.status });
    out.push(
      ...mine.map((a) => ({
        ...a,
        title: (a.title ?? 'helm-deploy').replace(/^helm-deploy: /, `helm-deploy [${x.release}]: `),
      })),
    );
    if (x.failure && !mine.some((a) => a.level === 'error'))
      out.push({
        level: 'error',
        title: `helm-deploy: release ${x.release} ${x.status}`,
        message: x.failure,
        rank: 2,
      });
  }
  return out;
}
