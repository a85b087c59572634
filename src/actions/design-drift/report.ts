import type { Annotation } from '../../lib/annotations.js';
import type { Change } from '../../lib/contracts/change.js';
import type { Level } from '../../lib/contracts/rules.js';
import { table } from '../../lib/markdown.js';
import type { RecordingChange } from './sources.js';
import {
  hasWaiverChanges,
  waiverRefusal,
  type Waiver,
  type WaiverChanges,
  type WaiverOutcome,
} from './waivers.js';

export type FailOn = 'breaking' | 'any-drift' | 'none';

/** A change and what it was compared against: the recorded contract, or the declared one on the base ref. */
export interface Finding extends Change {
  against: 'recorded' | 'base-ref';
  waivedBy?: Waiver;
}

export interface DocumentPair {
  declared: string;
  kind: string;
  recorded?: string;
  matchedBy: string;
  baseRef?: 'compared' | 'absent';
}

export interface Decision {
  failed: boolean;
  /** Why the check fails (before the bypass label), one line each. */
  reasons: string[];
  bypassed: boolean;
  counts: { breaking: number; nonBreaking: number; informational: number; waived: number; total: number };
}

export function counts(findings: readonly Finding[]): Decision['counts'] {
  const live = findings.filter((f) => !f.waivedBy);
  return {
    breaking: live.filter((f) => f.level === 'breaking').length,
    nonBreaking: live.filter((f) => f.level === 'non-breaking').length,
    informational: live.filter((f) => f.level === 'informational').length,
    waived: findings.length - live.length,
    total: findings.length,
  };
}

/** fail-on decides which unwaived findings fail the check; an expired waiver always does. The bypass label turns failure into a recorded warning. */
export function decide(
  findings: readonly Finding[],
  failOn: FailOn,
  waivers: WaiverOutcome,
  bypass: string | undefined,
): Decision {
  const c = counts(findings);
  const reasons: string[] = [];
  if (failOn === 'breaking' && c.breaking > 0) reasons.push(`${c.breaking} breaking change(s)`);
  if (failOn === 'any-drift' && c.breaking + c.nonBreaking + c.informational > 0)
    reasons.push(`${c.breaking + c.nonBreaking + c.informational} change(s) of drift`);
  for (const w of waivers.expired)
    reasons.push(`waiver for ${w.rule} at ${w.path} (owner ${w.owner}) expired on ${w.expires}`);
  const failing = reasons.length > 0;
  return { failed: failing && !bypass, reasons, bypassed: failing && bypass !== undefined, counts: c };
}

interface Group {
  level: Level;
  rule: string;
  against: Finding['against'];
  file: string;
  line: number;
  message: string;
  operations: string[];
  waivedBy?: Waiver;
}

/** One row per (rule, place): a shared component changed under 300 operations is one change to review, listed with its operations. */
export function group(findings: readonly Finding[]): Group[] {
  const map = new Map<string, Group>();
  for (const f of findings) {
    const key = `${f.against}|${f.level}|${f.rule}|${f.file}|${f.line}|${f.waivedBy ? 'w' : ''}`;
    let g = map.get(key);
    if (!g) {
      g = {
        level: f.level,
        rule: f.rule,
        against: f.against,
        file: f.file,
        line: f.line,
        message: f.message,
        operations: [],
        ...(f.waivedBy ? { waivedBy: f.waivedBy } : {}),
      };
      map.set(key, g);
    }
    if (f.operation && !g.operations.includes(f.operation)) g.operations.push(f.operation);
  }
  return [...map.values()];
}

function opsText(ops: string[], max = 3): string {
  if (ops.length === 0) return '';
  return ops.length <= max ? ops.join(', ') : `${ops.slice(0, max).join(', ')} and ${ops.length - max} more`;
}

export interface Owner {
  owner?: string;
  runbook?: string;
}

function ownerText(o: Owner): string {
  const parts = [o.owner ? `owner: ${o.owner}` : '', o.runbook ? `runbook: ${o.runbook}` : ''].filter(
    Boolean,
  );
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** Breaking first; errors only for what fails the check, so the 10 shown per level are the ones to fix. */
export function buildAnnotations(
  findings: readonly Finding[],
  failOn: FailOn,
  decision: Decision,
  who: Owner,
): Annotation[] {
  const rank: Record<Level, number> = { breaking: 0, 'non-breaking': 1, informational: 2 };
  return group(findings).map((g) => {
    const failing =
      !g.waivedBy &&
      !decision.bypassed &&
      ((failOn === 'breaking' && g.level === 'breaking') || failOn === 'any-drift');
    const level: Annotation['level'] = g.waivedBy
      ? 'notice'
      : failing
        ? 'error'
        : g.level === 'informational'
          ? 'notice'
          : 'warning';
    const ops = opsText(g.operations);
    const versus = g.against === 'recorded' ? 'vs the recorded contract' : 'vs the base branch';
    const waived = g.waivedBy
      ? ` Waived until ${g.waivedBy.expires} by ${g.waivedBy.owner}: ${g.waivedBy.reason}`
      : '';
    return {
      level,
      title: `${g.level} drift: ${g.rule}`,
      message: `${g.message}${ops ? ` [${ops}]` : ''} (${versus})${waived}${failing ? ownerText(who) : ''}`,
      file: g.file,
      line: g.line,
      rank: rank[g.level] * 10 + (g.waivedBy ? 5 : 0) + (g.against === 'recorded' ? 0 : 1),
    };
  });
}

export interface SummaryInput {
  findings: readonly Finding[];
  documents: readonly DocumentPair[];
  recordedDir: string;
  baseRef?: string;
  failOn: FailOn;
  decision: Decision;
  waivers: WaiverOutcome;
  /** The waivers file as named in the inputs. */
  waiversFile?: string;
  /** The pull request's changes under the recordings' folder: listed, used only after merge. */
  pendingRecording?: { root: string; changes: readonly RecordingChange[] };
  /** The pull request's changes to the waivers file: listed, applied only after merge. */
  pendingWaivers?: WaiverChanges;
  /** For the verdict on pending waivers: would the policy take them after merge? */
  today?: string;
  maxWaiverDays?: number;
  bypassLabel?: string;
  who: Owner;
  /** Most rows shown per table; the JSON result has them all. */
  maxRows?: number;
}

export function renderSummary(s: SummaryInput): string {
  const c = s.decision.counts;
  const out: string[] = [];
  const status = s.decision.failed
    ? '❌ drift fails the check'
    : s.decision.bypassed
      ? '⚠️ drift would fail the check, bypassed by label'
      : c.total === 0
        ? '✅ no drift'
        : '✅ drift within policy';
  out.push(`## Design drift: ${status}`);
  out.push('');
  const against = s.baseRef
    ? `the recording in \`${s.recordedDir}\` and with themselves, both as on the base ref \`${s.baseRef}\``
    : `the recording in \`${s.recordedDir}\``;
  out.push(`Declared contracts compared with ${against}; fail-on: **${s.failOn}**.`);
  out.push('');
  out.push(
    `**${c.breaking}** breaking, **${c.nonBreaking}** non-breaking, **${c.informational}** informational${c.waived ? `, **${c.waived}** waived` : ''} (${c.total} in all).`,
  );
  if (s.decision.reasons.length > 0) {
    out.push('');
    out.push(
      `${s.decision.failed ? 'Fails because' : 'Would fail because'}: ${s.decision.reasons.join('; ')}.${s.decision.failed ? ownerText(s.who) : ''}`,
    );
  }
  if (s.decision.bypassed) {
    out.push('');
    out.push(
      `> **Bypass used**: the pull request carries the label \`${s.bypassLabel}\`, so this drift does not block the merge. This use is recorded here and in the JSON result.`,
    );
  }
  out.push('');
  out.push('### Documents');
  out.push('');
  out.push(
    table(
      ['declared', 'kind', 'recorded', 'matched by', 'base ref'],
      s.documents.map((d) => [
        `\`${d.declared}\``,
        d.kind,
        d.recorded ? `\`${d.recorded}\`` : '— (not recorded yet)',
        d.matchedBy,
        d.baseRef ?? '',
      ]),
    ),
  );
  const groups = group(s.findings);
  const max = s.maxRows ?? 200;
  for (const against of ['recorded', 'base-ref'] as const) {
    const rows = groups.filter((g) => g.against === against);
    if (rows.length === 0) continue;
    out.push('');
    out.push(
      against === 'recorded'
        ? '### Changelog: declared vs recorded'
        : `### Changelog: declared vs base ref \`${s.baseRef}\``,
    );
    out.push('');
    out.push(
      table(
        ['level', 'rule', 'where', 'change', 'operations', 'waiver'],
        rows
          .slice(0, max)
          .map((g) => [
            g.level === 'breaking'
              ? '🔴 breaking'
              : g.level === 'non-breaking'
                ? '🟡 non-breaking'
                : '⚪ informational',
            `\`${g.rule}\``,
            `\`${g.file}:${g.line}\``,
            g.message,
            opsText(g.operations, 5),
            g.waivedBy ? `until ${g.waivedBy.expires} (${g.waivedBy.owner}): ${g.waivedBy.reason}` : '',
          ]),
      ),
    );
    if (rows.length > max) out.push(`\n${rows.length - max} more row(s) in the JSON result.`);
  }
  if (s.waivers.expired.length + s.waivers.refused.length + s.waivers.unused.length > 0) {
    out.push('');
    out.push('### Waivers');
    out.push('');
    out.push(
      table(
        ['state', 'rule', 'path', 'owner', 'expires', 'reason'],
        [
          ...s.waivers.expired.map((w) => ['❌ expired', w.rule, w.path, w.owner, w.expires, w.reason]),
          ...s.waivers.refused.map((w) => [
            `🚫 refused, not applied: ${w.refused}`,
            w.rule,
            w.path,
            w.owner,
            w.expires,
            w.reason,
          ]),
          ...s.waivers.unused.map((w) => [
            'unused (remove it)',
            w.rule,
            w.path,
            w.owner,
            w.expires,
            w.reason,
          ]),
        ],
      ),
    );
  }
  if (s.pendingRecording && s.pendingRecording.changes.length > 0)
    out.push('', ...pendingRecordingSection(s));
  if (s.pendingWaivers && hasWaiverChanges(s.pendingWaivers)) out.push('', ...pendingWaiverSection(s));
  return `${out.join('\n')}\n`;
}

const CHANGE_LABEL = { added: '➕ added', changed: '✏️ changed', removed: '➖ removed' } as const;

/** What the pull request changes under the recordings' folder: not used for this check. */
function pendingRecordingSection(s: SummaryInput): string[] {
  const { root, changes } = s.pendingRecording!;
  const max = s.maxRows ?? 200;
  return [
    '### Recording changes in this pull request: take effect after merge',
    '',
    `This check compares with the recording \`${s.recordedDir}\` as it is on \`${s.baseRef}\`. ` +
      `The changes below under \`${root}\` are not used for this pull request; they count from the merge on, ` +
      'for the pull requests after it.',
    '',
    table(
      ['change', 'file'],
      changes.slice(0, max).map((c) => [CHANGE_LABEL[c.change], `\`${c.path}\``]),
    ),
    ...(changes.length > max ? ['', `${changes.length - max} more file(s) in the JSON result.`] : []),
  ];
}

/** A notice that the pull request changes the recordings, which take effect after merge. */
export function recordingAnnotations(
  changes: readonly RecordingChange[] | undefined,
  recordedDir: string,
  baseRef: string | undefined,
): Annotation[] {
  if (!changes || changes.length === 0) return [];
  const count = (change: RecordingChange['change']) => changes.filter((c) => c.change === change).length;
  return [
    {
      level: 'notice',
      title: 'design-drift: recording changes take effect after merge',
      message:
        `This pull request changes ${changes.length} recorded file(s) (${count('added')} added, ` +
        `${count('changed')} changed, ${count('removed')} removed); this check compares with the recording ` +
        `${recordedDir} as on ${baseRef}. See the summary.`,
      rank: 0,
    },
  ];
}

/** What the pull request changes in the waivers file: not applied in this check, each with how the policy would take it. */
function pendingWaiverSection(s: SummaryInput): string[] {
  const p = s.pendingWaivers!;
  const verdict = (w: Waiver) => {
    if (s.today === undefined || s.maxWaiverDays === undefined) return '';
    if (w.expires < s.today) return 'already expired';
    const refusal = waiverRefusal(w, s.today, s.maxWaiverDays);
    return refusal ? `🚫 would be refused: ${refusal}` : 'would apply';
  };
  const changedCell = (before: string, after: string) => (before === after ? after : `${before} → ${after}`);
  return [
    `### Waiver changes in this pull request: take effect after merge`,
    '',
    `This check applies the waivers${s.waiversFile ? ` of \`${s.waiversFile}\`` : ''} as they are on \`${s.baseRef}\`. ` +
      'The changes below are not applied to this pull request; they count from the merge on, for the pull requests after it.',
    '',
    table(
      ['change', 'rule', 'path', 'owner', 'expires', 'reason', 'after merge'],
      [
        ...p.added.map((w) => ['➕ added', w.rule, w.path, w.owner, w.expires, w.reason, verdict(w)]),
        ...p.changed.map(({ before: b, after: a }) => [
          '✏️ changed',
          a.rule,
          a.path,
          changedCell(b.owner, a.owner),
          changedCell(b.expires, a.expires),
          changedCell(b.reason, a.reason),
          verdict(a),
        ]),
        ...p.removed.map((w) => [
          '➖ removed',
          w.rule,
          w.path,
          w.owner,
          w.expires,
          w.reason,
          'no longer applies',
        ]),
      ],
    ),
  ];
}

/** A warning for each refused waiver, and a notice that the pull request changes the waivers (applied after merge). */
export function waiverAnnotations(
  outcome: WaiverOutcome,
  pending: WaiverChanges | undefined,
  file: string | undefined,
  baseRef: string | undefined,
): Annotation[] {
  const out: Annotation[] = outcome.refused.map((w) => ({
    level: 'warning' as const,
    title: 'design-drift: waiver refused',
    message:
      `The waiver for ${w.rule} at ${w.path} (owner ${w.owner}) is not applied: ${w.refused}. ` +
      'The findings it would cover count.',
    ...(file ? { file } : {}),
    rank: 1,
  }));
  if (pending && hasWaiverChanges(pending)) {
    const n = pending.added.length + pending.changed.length + pending.removed.length;
    out.push({
      level: 'notice',
      title: 'design-drift: waiver changes take effect after merge',
      message:
        `This pull request changes ${n} waiver(s) (${pending.added.length} added, ` +
        `${pending.changed.length} changed, ${pending.removed.length} removed); ` +
        `this check applies the waivers of ${baseRef}. See the summary.`,
      ...(file ? { file } : {}),
      rank: 0,
    });
  }
  return out;
}
