// Small formatting helpers shared by the admin views.

export type Severity = 'none' | 'low' | 'medium' | 'high';

/** A 0..1 score or threshold as a whole percentage ("70%"); out-of-range values are refused. */
export function percent(value: number): string {
  if (!Number.isFinite(value) || value < 0 || value > 1)
    throw new RangeError(`a score must be between 0 and 1, got ${value}`);
  return `${Math.round(value * 100)}%`;
}

/** "just now", "45 s ago", "3 min ago", "2 h ago", "4 d ago" (future times read "in ..."). */
export function relativeTime(from: Date, now: Date): string {
  const seconds = Math.round((now.getTime() - from.getTime()) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 5) return 'just now';
  const [n, unit] =
    abs < 60
      ? [abs, 's']
      : abs < 3600
        ? [Math.floor(abs / 60), 'min']
        : abs < 86400
          ? [Math.floor(abs / 3600), 'h']
          : [Math.floor(abs / 86400), 'd'];
  return seconds >= 0 ? `${n} ${unit} ago` : `in ${n} ${unit}`;
}

/** The first 12 hex digits of a hash: enough to tell versions apart on screen. */
export function shortHash(hash: string): string {
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`not a SHA-256 hex digest: ${JSON.stringify(hash)}`);
  return hash.slice(0, 12);
}

const SEVERITY_LABEL: Record<Severity, string> = { none: '-', low: 'LOW', medium: 'MED', high: 'HIGH' };

export function severityLabel(severity: Severity): string {
  return SEVERITY_LABEL[severity];
}

/** Renders rows as a fixed-width text table with a header line (column widths fit the widest cell). */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
