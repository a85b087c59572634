import { formatValue } from './metrics.js';

export interface ChartSeries {
  label: string;
  /** [unix seconds, value]; undefined values are gaps. */
  points: [number, number | undefined][];
}

export interface ChartInput {
  title: string;
  subtitle?: string;
  unit?: string;
  series: ChartSeries[];
  /** Window, unix seconds. */
  start: number;
  end: number;
  stepSeconds: number;
  timeZone: string;
  /** Lines drawn at most; the rest are counted in a note (the JSON keeps them all). */
  maxSeries?: number;
}

const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#7f7f7f',
  '#bcbd22',
];
const W = 960;
const PLOT_H = 300;
const M = { left: 80, right: 24, top: 58, bottom: 44 };

/** A line chart as a standalone SVG: axes, time labels in the team's time zone, a legend. Pure. */
export function renderLineChart(input: ChartInput): string {
  const maxSeries = input.maxSeries ?? PALETTE.length;
  const withData = input.series.filter((s) => s.points.some(([, v]) => v !== undefined));
  // Most prominent series first (largest peak), so a capped chart keeps the ones that matter.
  const ranked = [...withData].sort((a, b) => peak(b) - peak(a) || (a.label < b.label ? -1 : 1));
  const drawn = ranked.slice(0, maxSeries);
  const hidden = ranked.length - drawn.length;
  const legendRows = Math.ceil(drawn.length / 2);
  const H = M.top + PLOT_H + M.bottom + legendRows * 20 + (hidden > 0 ? 20 : 0) + 10;
  const plotW = W - M.left - M.right;
  const x0 = M.left;
  const y0 = M.top + PLOT_H;
  const span = Math.max(1, input.end - input.start);
  const sx = (t: number) => x0 + ((t - input.start) / span) * plotW;

  const values = drawn.flatMap((s) => s.points.map(([, v]) => v).filter((v): v is number => v !== undefined));
  let lo = values.length ? Math.min(...values) : 0;
  let hi = values.length ? Math.max(...values) : 1;
  if (lo > 0 && lo < hi * 0.5) lo = 0; // anchor at zero when it does not squash the data
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const yTicks = niceTicks(lo, hi, 5);
  const yMin = yTicks[0]!;
  const yMax = yTicks[yTicks.length - 1]!;
  const sy = (v: number) => y0 - ((v - yMin) / (yMax - yMin || 1)) * PLOT_H;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(
    `<text x="${M.left}" y="22" font-size="16" font-weight="bold" fill="#111">${esc(input.title)}</text>`,
  );
  if (input.subtitle)
    out.push(
      `<text x="${M.left}" y="40" font-size="11" fill="#555" font-family="monospace">${esc(clip(input.subtitle, 130))}</text>`,
    );

  // Grid and y axis labels.
  for (const t of yTicks) {
    const y = round(sy(t));
    out.push(`<line x1="${x0}" y1="${y}" x2="${x0 + plotW}" y2="${y}" stroke="#e5e5e5"/>`);
    out.push(
      `<text x="${x0 - 8}" y="${y + 4}" text-anchor="end" fill="#333">${esc(formatValue(t, input.unit))}</text>`,
    );
  }
  // Time axis.
  const xTicks = timeTicks(input.start, input.end);
  const withDate = input.end - input.start > 86_400;
  for (const t of xTicks) {
    const x = round(sx(t));
    out.push(`<line x1="${x}" y1="${M.top}" x2="${x}" y2="${y0}" stroke="#f0f0f0"/>`);
    out.push(`<line x1="${x}" y1="${y0}" x2="${x}" y2="${y0 + 5}" stroke="#333"/>`);
    out.push(
      `<text x="${x}" y="${y0 + 18}" text-anchor="middle" fill="#333">${esc(timeLabel(t, input.timeZone, withDate))}</text>`,
    );
  }
  out.push(`<line x1="${x0}" y1="${y0}" x2="${x0 + plotW}" y2="${y0}" stroke="#333"/>`);
  out.push(`<line x1="${x0}" y1="${M.top}" x2="${x0}" y2="${y0}" stroke="#333"/>`);
  out.push(
    `<text x="${x0 + plotW}" y="${y0 + 34}" text-anchor="end" fill="#555">${esc(`${timeLabel(input.start, input.timeZone, true)} – ${timeLabel(input.end, input.timeZone, true)} (${input.timeZone}), step ${input.stepSeconds}s`)}</text>`,
  );

  if (drawn.length === 0) {
    out.push(
      `<text x="${x0 + plotW / 2}" y="${M.top + PLOT_H / 2}" text-anchor="middle" font-size="16" fill="#888">no data in this window</text>`,
    );
  }
  drawn.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    const segments = splitAtGaps(s.points, input.stepSeconds);
    for (const seg of segments) {
      if (seg.length === 1) {
        const [t, v] = seg[0]!;
        out.push(`<circle cx="${round(sx(t))}" cy="${round(sy(v))}" r="2.5" fill="${color}"/>`);
      } else {
        const d = seg.map(([t, v], j) => `${j === 0 ? 'M' : 'L'}${round(sx(t))},${round(sy(v))}`).join('');
        out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.6" stroke-linejoin="round"/>`);
      }
    }
  });

  // Legend, two columns.
  const ly = y0 + M.bottom + 6;
  drawn.forEach((s, i) => {
    const col = i % 2;
    const row = Math.floor(i / 2);
    const lx = M.left + col * (plotW / 2);
    const y = ly + row * 20;
    out.push(`<rect x="${lx}" y="${y - 9}" width="14" height="4" fill="${PALETTE[i % PALETTE.length]}"/>`);
    out.push(`<text x="${lx + 20}" y="${y - 3}" fill="#222">${esc(clip(s.label, 70))}</text>`);
  });
  if (hidden > 0)
    out.push(
      `<text x="${M.left}" y="${ly + legendRows * 20}" fill="#555">+ ${hidden} more series (see the JSON snapshot)</text>`,
    );
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function peak(s: ChartSeries): number {
  let m = -Infinity;
  for (const [, v] of s.points) if (v !== undefined && v > m) m = v;
  return m;
}

/** Consecutive defined points; a missing value or a jump of more than 1.5 steps breaks the line. */
export function splitAtGaps(
  points: readonly [number, number | undefined][],
  stepSeconds: number,
): [number, number][][] {
  const out: [number, number][][] = [];
  let cur: [number, number][] = [];
  let prevT: number | undefined;
  for (const [t, v] of points) {
    if (v === undefined || (prevT !== undefined && t - prevT > stepSeconds * 1.5)) {
      if (cur.length) out.push(cur);
      cur = [];
    }
    if (v !== undefined) cur.push([t, v]);
    prevT = v === undefined ? undefined : t;
  }
  if (cur.length) out.push(cur);
  return out;
}

/** Round-number ticks covering [lo, hi] (1, 2, 2.5, 5 × 10^n steps). */
export function niceTicks(lo: number, hi: number, target: number): number[] {
  const raw = (hi - lo) / Math.max(1, target);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? 10 * mag;
  const first = Math.floor(lo / step) * step;
  const ticks: number[] = [];
  for (let v = first; v < hi + step * 0.999; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks.length < 2) ticks.push(Number((first + step).toPrecision(12)));
  return ticks;
}

const TIME_STEPS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];

/** Tick times on whole minutes/hours/days, about six across the window. */
export function timeTicks(start: number, end: number): number[] {
  const span = end - start;
  const step = TIME_STEPS.find((s) => span / s <= 7) ?? TIME_STEPS[TIME_STEPS.length - 1]!;
  const ticks: number[] = [];
  for (let t = Math.ceil(start / step) * step; t <= end; t += step) ticks.push(t);
  return ticks;
}

export function timeLabel(unixSeconds: number, timeZone: string, withDate: boolean): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hour12: false,
    hour: '2-digit',
    minute: '2-digit',
    ...(withDate ? { year: 'numeric', month: '2-digit', day: '2-digit' } : {}),
  }).formatToParts(new Date(unixSeconds * 1000));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const hm = `${get('hour') === '24' ? '00' : get('hour')}:${get('minute')}`;
  return withDate ? `${get('year')}-${get('month')}-${get('day')} ${hm}` : hm;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export function esc(s: string): string {
  // XML 1.0 forbids these control characters outright.
  return s
    .replace(/[\x00-\x08\x0B\x0C\x0E-\x1F]/g, '')
    .replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
    );
}
