/**
 * Reading infra-pulse's results where they travel: its JSON result (collected by evidence-archive)
 * and the marker it leaves in its section of the day's status file (read by the daily wrap). Like
 * results.ts, tolerant: a field is read when present and of the expected type. Pure.
 */

/** The status file's sections, by writer. */
export const PULSE_SECTION = 'infra-pulse';
export const WRAP_SECTION = 'daily-wrap';

export interface PulseCheckSummary {
  id: string;
  kind: string;
  name: string;
  status: string;
  required: boolean;
  summary: string;
  owner?: string;
  runbooks: string[];
  /** The messages of its findings that are not OK. */
  problems: string[];
}

export interface PulseSummary {
  verdict: string;
  ready: boolean;
  blocking: string[];
  headline?: string;
  checkedAt?: string;
  wallMs?: number;
  checks: PulseCheckSummary[];
  firing: number;
  inMaintenance: number;
  maintenance: { createdBy: string; comment: string; startsAt: string; endsAt: string; state: string }[];
}

const rec = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function summarizePulse(result: unknown): PulseSummary {
  const r = rec(result) ?? {};
  const checks = arr(r.checks)
    .map(rec)
    .filter((c): c is Record<string, unknown> => !!c)
    .map((c) => ({
      id: str(c.id) ?? 'unnamed check',
      kind: str(c.kind) ?? 'unknown',
      name: str(c.name) ?? str(c.id) ?? 'unnamed check',
      status: str(c.status) ?? 'UNKNOWN',
      required: c.required !== false,
      summary: str(c.summary) ?? '',
      ...(str(c.owner) ? { owner: str(c.owner)! } : {}),
      runbooks: arr(c.runbooks)
        .map(str)
        .filter((x): x is string => !!x),
      problems: arr(c.findings)
        .map(rec)
        .filter((f) => f && str(f.status) !== 'OK')
        .map((f) => str(f!.message))
        .filter((m): m is string => !!m),
    }));
  const alerts = rec(r.alerts) ?? {};
  const verdict = str(r.verdict) ?? 'UNKNOWN';
  const wallMs = num(r.wallMs);
  return {
    verdict,
    ready: typeof r.ready === 'boolean' ? r.ready : false,
    blocking: arr(r.blocking)
      .map(str)
      .filter((x): x is string => !!x),
    ...(str(r.headline) ? { headline: str(r.headline)! } : {}),
    ...(str(r.checkedAt) ? { checkedAt: str(r.checkedAt)! } : {}),
    ...(wallMs !== undefined ? { wallMs } : {}),
    checks,
    firing: num(alerts.firing) ?? 0,
    inMaintenance: num(alerts.inMaintenance) ?? 0,
    maintenance: arr(r.maintenance)
      .map(rec)
      .filter((m): m is Record<string, unknown> => !!m)
      .map((m) => ({
        createdBy: str(m.createdBy) ?? '',
        comment: str(m.comment) ?? '',
        startsAt: str(m.startsAt) ?? '',
        endsAt: str(m.endsAt) ?? '',
        state: str(m.state) ?? '',
      })),
  };
}

/** What the pulse leaves in its status-file section for the wrap to read back. */
export interface PulseFacts {
  verdict: string;
  ready: boolean;
  checkedAt: string;
  headline: string;
  blocking: string[];
}

const MARKER = /<!-- infra-pulse-result (\{.*\}) -->/;

/** A one-line HTML comment (invisible when rendered) holding the facts; `>` escaped so it cannot end early. */
export function pulseMarker(facts: PulseFacts): string {
  return `<!-- infra-pulse-result ${JSON.stringify(facts).replace(/[<>]/g, (c) => (c === '<' ? '\\u003c' : '\\u003e'))} -->`;
}

/** The facts of a pulse section, or undefined when it has none (or not readable ones). */
export function readPulseMarker(section: string | undefined): PulseFacts | undefined {
  const m = section ? MARKER.exec(section) : null;
  if (!m) return undefined;
  try {
    const v = rec(JSON.parse(m[1]!));
    if (!v || !str(v.verdict) || !str(v.checkedAt)) return undefined;
    return {
      verdict: str(v.verdict)!,
      ready: v.ready === true,
      checkedAt: str(v.checkedAt)!,
      headline: str(v.headline) ?? '',
      blocking: arr(v.blocking)
        .map(str)
        .filter((x): x is string => !!x),
    };
  } catch {
    return undefined;
  }
}

const PULSE_MARK: Record<string, string> = { OK: '✅', WARN: '⚠️', FAIL: '❌', UNKNOWN: '❔' };
const pulseMark = (status: string) => `${PULSE_MARK[status] ?? '❔'} ${status}`;
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * The pulse's checks that FAILed or could not be made (UNKNOWN), as the day's failures: each with its
 * owner and first runbook (the kill switch). A WARN is shown in the section, not listed as a failure.
 */
export function pulseFailures(
  result: unknown,
): { what: string; detail: string; owner?: string; runbook?: string }[] {
  return summarizePulse(result)
    .checks.filter((c) => c.status === 'FAIL' || c.status === 'UNKNOWN')
    .map((c) => ({
      what: `${c.id} (${c.status}${c.required ? '' : ', optional'})`,
      detail: oneLine(c.problems.join('; ') || c.summary || c.status),
      ...(c.owner ? { owner: c.owner } : {}),
      ...(c.runbooks[0] ? { runbook: c.runbooks[0] } : {}),
    }));
}

/** The status report's one line for the pulse: its verdict and headline. */
export function pulseGlance(result: unknown): string {
  const p = summarizePulse(result);
  return `${p.verdict}${p.ready ? '' : ' (a required dependency is down)'}${p.headline ? `: ${oneLine(p.headline)}` : ''}`;
}

/**
 * The "Infra Pulse" section of the day's status report, from the pulse's JSON result: the verdict, a
 * row per dependency with its owner and runbooks, the firing alerts and the planned maintenance.
 * `link(runbook, text)` makes a runbook link from the report's own folder; `cell` keeps text in a table cell. Pure.
 */
export function renderPulseReportSection(
  result: unknown,
  link: (runbook: string, text: string) => string,
  cell: (text: string) => string,
): string[] {
  const p = summarizePulse(result);
  const out = ['## Infra Pulse', ''];
  out.push(
    `${pulseMark(p.verdict)} — ${p.ready ? 'every required dependency is up' : `**required dependency down**: ${p.blocking.map((b) => `\`${b}\``).join(', ')}`}${p.headline ? `. ${cell(oneLine(p.headline))}` : ''}.`,
    '',
  );
  if (p.checks.length) {
    out.push('| dependency | status | detail | owner | runbooks |', '| --- | --- | --- | --- | --- |');
    for (const c of p.checks) {
      const runbooks =
        c.status === 'OK'
          ? ''
          : c.runbooks.map((r) => link(r, r.split('/').pop()!.replace('.md', ''))).join(' · ');
      const detail = c.status === 'OK' ? c.summary : c.problems.join('; ') || c.summary;
      out.push(
        `| \`${c.id}\`${c.required ? '' : ' (optional)'} | ${pulseMark(c.status)} | ${cell(oneLine(detail))} | ${cell(c.owner ?? '')} | ${runbooks} |`,
      );
    }
    out.push('');
  }
  out.push(
    `Alerts: ${p.firing} firing, ${p.inMaintenance} in maintenance. Planned maintenance: ${p.maintenance.length ? '' : 'none.'}`,
  );
  for (const m of p.maintenance)
    out.push(
      `- ${m.state === 'active' ? '🛠️ active' : '🗓️ pending'} ${m.startsAt} → ${m.endsAt}, by ${cell(m.createdBy)}: ${cell(oneLine(m.comment))}`,
    );
  out.push('');
  return out;
}
