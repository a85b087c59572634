import { ConfigurationError, quote } from '../../lib/errors.js';
import type { CommitState, ForgeComment, ForgePull } from '../../lib/forge/index.js';
import { validateAgainst, type JsonSchema } from '../../lib/schema.js';
import { renderSummary, type Decision, type DocumentPair, type FailOn, type Finding } from './report.js';
import type { Waiver, WaiverChanges, WaiverOutcome } from './waivers.js';

/** The hidden marker that finds the one design-drift comment of a pull request again. */
export const DRIFT_COMMENT_MARKER = '<!-- command-center:design-drift -->';
/** The commit status branch protection requires. */
export const DRIFT_STATUS_CONTEXT = 'design-drift';
/** GitHub refuses a comment over 65,536 characters; stay under it. */
const COMMENT_LIMIT = 60_000;

/** What a `check` run hands over to the companion that reports on the pull request. */
export interface Handoff {
  pullRequest: { number: number; headSha: string };
  failOn: FailOn;
  decision: Decision;
  bypassLabel?: string;
  recorded: string;
  baseRef?: string;
  documents: DocumentPair[];
  findings: Finding[];
  waivers: WaiverOutcome;
  waiversFile?: string;
  pendingWaivers?: WaiverChanges;
  today: string;
  maxWaiverDays: number;
  who: { owner?: string; runbook?: string };
}

const waiver = {
  type: 'object',
  required: ['rule', 'path', 'reason', 'owner', 'expires'],
  properties: {
    rule: { type: 'string' },
    path: { type: 'string' },
    reason: { type: 'string' },
    owner: { type: 'string' },
    expires: { type: 'string' },
  },
};
const waivers = { type: 'array', items: waiver };
const count = { type: 'integer', minimum: 0 };

/** The part of design-drift's result file the report reads; anything else in it is ignored. */
const handoffSchema: JsonSchema = {
  type: 'object',
  required: ['action', 'schemaVersion', 'result'],
  properties: {
    action: { const: 'design-drift' },
    schemaVersion: { const: 1 },
    result: {
      type: 'object',
      required: [
        'pullRequest',
        'failOn',
        'failed',
        'reasons',
        'bypass',
        'today',
        'recorded',
        'counts',
        'documents',
        'waivers',
        'changes',
      ],
      properties: {
        pullRequest: {
          type: 'object',
          required: ['number', 'headSha'],
          properties: {
            number: { type: 'integer', minimum: 1 },
            headSha: { type: 'string', pattern: '^(?:[0-9a-f]{40}|[0-9a-f]{64})$' },
          },
        },
        failOn: { enum: ['breaking', 'any-drift', 'none'] },
        failed: { type: 'boolean' },
        reasons: { type: 'array', items: { type: 'string' } },
        bypass: {
          type: 'object',
          required: ['used'],
          properties: { used: { type: 'boolean' }, label: { type: ['string', 'null'] } },
        },
        today: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
        recorded: { type: 'string' },
        baseRef: { type: ['string', 'null'] },
        counts: {
          type: 'object',
          required: ['breaking', 'nonBreaking', 'informational', 'waived', 'total'],
          properties: {
            breaking: count,
            nonBreaking: count,
            informational: count,
            waived: count,
            total: count,
          },
        },
        documents: {
          type: 'array',
          items: {
            type: 'object',
            required: ['declared', 'kind', 'matchedBy'],
            properties: {
              declared: { type: 'string' },
              kind: { type: 'string' },
              matchedBy: { type: 'string' },
              recorded: { type: 'string' },
              baseRef: { enum: ['compared', 'absent'] },
            },
          },
        },
        waivers: {
          type: 'object',
          required: ['expired', 'refused', 'used', 'unused', 'maxDays'],
          properties: {
            file: { type: ['string', 'null'] },
            maxDays: { type: 'integer', minimum: 1 },
            expired: waivers,
            refused: { type: 'array', items: { ...waiver, required: [...waiver.required, 'refused'] } },
            used: waivers,
            unused: waivers,
            pendingAfterMerge: {
              oneOf: [
                { type: 'null' },
                {
                  type: 'object',
                  required: ['added', 'removed', 'changed'],
                  properties: {
                    added: waivers,
                    removed: waivers,
                    changed: {
                      type: 'array',
                      items: {
                        type: 'object',
                        required: ['before', 'after'],
                        properties: { before: waiver, after: waiver },
                      },
                    },
                  },
                },
              ],
            },
          },
        },
        changes: {
          type: 'array',
          items: {
            type: 'object',
            required: ['rule', 'level', 'message', 'file', 'pointer', 'line', 'against'],
            properties: {
              rule: { type: 'string' },
              level: { enum: ['breaking', 'non-breaking', 'informational'] },
              message: { type: 'string' },
              file: { type: 'string' },
              pointer: { type: 'string' },
              line: { type: 'integer' },
              operation: { type: 'string' },
              against: { enum: ['recorded', 'base-ref'] },
              waivedBy: { oneOf: [{ type: 'null' }, waiver] },
            },
          },
        },
        owner: { type: 'string' },
        runbook: { type: 'string' },
      },
    },
  },
};

interface RawResult {
  pullRequest: { number: number; headSha: string };
  failOn: FailOn;
  failed: boolean;
  reasons: string[];
  bypass: { used: boolean; label?: string | null };
  today: string;
  recorded: string;
  baseRef?: string | null;
  counts: Decision['counts'];
  documents: DocumentPair[];
  waivers: {
    file?: string | null;
    maxDays: number;
    expired: Waiver[];
    refused: WaiverOutcome['refused'];
    used: Waiver[];
    unused: Waiver[];
    pendingAfterMerge?: WaiverChanges | null;
  };
  changes: (Omit<Finding, 'waivedBy'> & { waivedBy?: Waiver | null })[];
  owner?: string;
  runbook?: string;
}

/**
 * Reads the result a `check` run handed over. It comes from a run of the pull request's own workflow
 * (a fork may have written it), so it is data to show, never to trust for where to post: it must be
 * design-drift's result of a pull request, and of `headSha`, the commit of the triggering run as the
 * event says. Anything else is refused before a word is posted.
 */
export function readHandoff(text: string, file: string, headSha: string): Handoff {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ConfigurationError(
      `input 'handoff': ${file} is not JSON (${(err as Error).message}); expected the result-path file of design-drift (mode: check)`,
    );
  }
  const violations = validateAgainst(handoffSchema, doc);
  if (violations.length > 0) {
    const v = violations[0]!;
    const noPull =
      v.pointer === '/result' && /pullRequest/.test(v.message)
        ? ' (a check run outside a pull request names none)'
        : '';
    throw new ConfigurationError(
      `input 'handoff': ${file} is not a design-drift result of a pull request: at ${v.pointer || 'the top level'}: ${v.message}${noPull}`,
    );
  }
  const r = (doc as { result: RawResult }).result;
  if (r.pullRequest.headSha !== headSha) {
    throw new ConfigurationError(
      `input 'handoff': ${file} is the result for commit ${quote(r.pullRequest.headSha)}, not for the run's head ` +
        `${quote(headSha)} (input 'head-sha'): refused, nothing was posted. ` +
        'Only the result of the run that the workflow_run event names may be reported.',
    );
  }
  return {
    pullRequest: r.pullRequest,
    failOn: r.failOn,
    decision: { failed: r.failed, reasons: r.reasons, bypassed: r.bypass.used, counts: r.counts },
    ...(r.bypass.label ? { bypassLabel: r.bypass.label } : {}),
    recorded: r.recorded,
    ...(r.baseRef ? { baseRef: r.baseRef } : {}),
    documents: r.documents,
    findings: r.changes.map(({ waivedBy, ...c }) => ({ ...c, ...(waivedBy ? { waivedBy } : {}) })),
    waivers: {
      expired: r.waivers.expired,
      refused: r.waivers.refused,
      used: r.waivers.used,
      unused: r.waivers.unused,
    },
    ...(r.waivers.file ? { waiversFile: r.waivers.file } : {}),
    ...(r.waivers.pendingAfterMerge ? { pendingWaivers: r.waivers.pendingAfterMerge } : {}),
    today: r.today,
    maxWaiverDays: r.waivers.maxDays,
    who: { ...(r.owner ? { owner: r.owner } : {}), ...(r.runbook ? { runbook: r.runbook } : {}) },
  };
}

/** The commit status: `failure` exactly when the check failed (a bypass label lets it pass, and says so). */
export function driftStatus(h: Handoff): { state: CommitState; description: string } {
  const c = h.decision.counts;
  if (h.decision.failed) return { state: 'failure', description: h.decision.reasons.join('; ') };
  if (h.decision.bypassed)
    return {
      state: 'success',
      description: `bypassed by the label ${h.bypassLabel ?? ''}: ${h.decision.reasons.join('; ')}`,
    };
  if (c.breaking + c.nonBreaking === 0)
    return {
      state: 'success',
      description: c.waived ? `no drift beyond ${c.waived} waived change(s)` : 'no drift',
    };
  return {
    state: 'success',
    description: `${c.breaking} breaking, ${c.nonBreaking} non-breaking change(s): within policy (fail-on: ${h.failOn})`,
  };
}

/** Drift worth a comment: anything breaking or non-breaking, waived or not, or a failing (or bypassed) check. */
export function hasDrift(h: Handoff): boolean {
  const c = h.decision.counts;
  return h.decision.failed || h.decision.bypassed || c.breaking + c.nonBreaking + c.waived > 0;
}

/**
 * The sticky comment: the marker, the drift table as the check's summary shows it, and the run. When
 * the drift is gone it says so on top. Mentions are defused: the text came from the pull request's run.
 */
export function renderDriftComment(
  h: Handoff,
  o: { headSha: string; detailsUrl?: string; resolved: boolean },
): string {
  const short = o.headSha.slice(0, 12);
  const run = o.detailsUrl ? `[the check's run](${o.detailsUrl})` : "the check's run";
  const footer = `<sub>Head \`${short}\`; details in ${run}. This comment is updated on each push.</sub>`;
  const summary = renderSummary({
    findings: h.findings,
    documents: h.documents,
    recordedDir: h.recorded,
    ...(h.baseRef ? { baseRef: h.baseRef } : {}),
    failOn: h.failOn,
    decision: h.decision,
    waivers: h.waivers,
    ...(h.waiversFile ? { waiversFile: h.waiversFile } : {}),
    ...(h.pendingWaivers ? { pendingWaivers: h.pendingWaivers } : {}),
    today: h.today,
    maxWaiverDays: h.maxWaiverDays,
    ...(h.bypassLabel ? { bypassLabel: h.bypassLabel } : {}),
    who: h.who,
    maxRows: 50,
  });
  const resolved = o.resolved
    ? `### ✅ Resolved: the drift reported on this pull request is gone as of \`${short}\`.\n\n`
    : '';
  let body = `${resolved}${defuseMentions(summary)}`;
  if (body.length > COMMENT_LIMIT) {
    const c = h.decision.counts;
    body =
      `${resolved}## Design drift: ${h.decision.failed ? '❌ drift fails the check' : '✅ within policy'}\n\n` +
      `**${c.breaking}** breaking, **${c.nonBreaking}** non-breaking, **${c.waived}** waived (${c.total} in all). ` +
      "The table is too long for a comment: it is in the check's run summary.\n";
  }
  return `${DRIFT_COMMENT_MARKER}\n${body}\n${footer}\n`;
}

/** `@name` does not notify anyone when written as `@\u200bname`. */
function defuseMentions(text: string): string {
  return text.replace(/@(?=[A-Za-z0-9_-])/g, '@\u200b');
}

/** The calls the report makes on the forge (src/lib/forge's Forge has them, on GitHub and Gitea alike). */
export interface DriftForge {
  setStatus(
    sha: string,
    s: { context: string; state: CommitState; description: string; targetUrl?: string },
  ): Promise<void>;
  getPull(number: number): Promise<ForgePull>;
  listComments(number: number): Promise<ForgeComment[]>;
  comment(number: number, body: string): Promise<ForgeComment>;
  updateComment(id: number, body: string): Promise<ForgeComment>;
}

export type CommentOutcome = 'created' | 'updated' | 'resolved' | 'none' | 'skipped';

export interface ReportOutcome {
  pullRequest: number;
  headSha: string;
  status: { context: string; state: CommitState; description: string; targetUrl: string | null };
  comment: { outcome: CommentOutcome; id: number | null; reason: string | null };
}

/**
 * Posts a check's verdict: the commit status on the head commit (as the event names it), then the
 * sticky comment on the pull request, only if that pull request's head is still that commit (after a
 * newer push, the newer run speaks). The comment is created when there is drift, updated on each run,
 * and says "resolved" (it is never deleted) when the drift is gone.
 */
export async function postDriftReport(
  forge: DriftForge,
  h: Handoff,
  o: { headSha: string; detailsUrl?: string },
): Promise<ReportOutcome> {
  const status = driftStatus(h);
  const description =
    status.description.length > 140 ? `${status.description.slice(0, 139)}…` : status.description;
  await forge.setStatus(o.headSha, {
    context: DRIFT_STATUS_CONTEXT,
    state: status.state,
    description,
    ...(o.detailsUrl ? { targetUrl: o.detailsUrl } : {}),
  });
  const out: ReportOutcome = {
    pullRequest: h.pullRequest.number,
    headSha: o.headSha,
    status: {
      context: DRIFT_STATUS_CONTEXT,
      state: status.state,
      description,
      targetUrl: o.detailsUrl ?? null,
    },
    comment: { outcome: 'none', id: null, reason: null },
  };
  const pull = await forge.getPull(h.pullRequest.number);
  if (pull.headSha !== o.headSha) {
    out.comment = {
      outcome: 'skipped',
      id: null,
      reason: `pull request #${pull.number}'s head is ${pull.headSha}, not ${o.headSha}: the run of the newer head comments`,
    };
    return out;
  }
  // Anyone may write a comment that starts with the marker; the first one is the sticky comment and
  // gets the true verdict, so a look-alike cannot stand (a writer may edit others' comments on GitHub
  // and Gitea alike). The status is already set, whatever happens to the comment.
  const existing = (await forge.listComments(pull.number)).find((c) =>
    c.body.startsWith(DRIFT_COMMENT_MARKER),
  );
  const drift = hasDrift(h);
  if (!drift && !existing) {
    out.comment.reason = 'no drift, and no earlier comment to resolve';
    return out;
  }
  const body = renderDriftComment(h, { ...o, resolved: !drift });
  if (existing) {
    const updated = await forge.updateComment(existing.id, body);
    out.comment = { outcome: drift ? 'updated' : 'resolved', id: updated.id, reason: null };
  } else {
    const created = await forge.comment(pull.number, body);
    out.comment = { outcome: 'created', id: created.id, reason: null };
  }
  return out;
}

/**
 * The check run handed over no result (it failed before comparing: a bad configuration, a missing
 * recording). The commit gets the status `error` with a link to that run, so the required check says
 * why instead of waiting forever.
 */
export async function reportMissingResult(
  forge: Pick<DriftForge, 'setStatus'>,
  o: { headSha: string; detailsUrl?: string },
): Promise<void> {
  await forge.setStatus(o.headSha, {
    context: DRIFT_STATUS_CONTEXT,
    state: 'error',
    description: 'the check handed over no result: it failed before comparing; see its run',
    ...(o.detailsUrl ? { targetUrl: o.detailsUrl } : {}),
  });
}
