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
  /** The y axis; on a log scale values at or below zero are gaps. Default linear. */
  scale?: 'linear' | 'log';
  /** Sentences written under the legend: the rules that shaped the chart (chart-plan.ts). */
  caption?: readonly string[];
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
  const log = input.scale === 'log';
  // A log axis has no place for zero or below: those values become gaps.
  const drawn = input.series
    .map((s) => ({
      label: s.label,
      points: log
        ? s.points.map(([t, v]): [number, number | undefined] => [
            t,
            v !== undefined && v > 0 ? v : undefined,
          ])
        : s.points,
    }))
    .filter((s) => s.points.some(([, v]) => v !== undefined));
  const captionLines = (input.caption ?? []).flatMap((c) => wrap(c, 140));
  const legendRows = Math.ceil(drawn.length / 2);
  const H = M.top + PLOT_H + M.bottom + legendRows * 20 + captionLines.length * 16 + 10;
  const plotW = W - M.left - M.right;
  const x0 = M.left;
  const y0 = M.top + PLOT_H;
  const span = Math.max(1, input.end - input.start);
  const sx = (t: number) => x0 + ((t - input.start) / span) * plotW;

  const values = drawn.flatMap((s) => s.points.map(([, v]) => v).filter((v): v is number => v !== undefined));
  const axis = log ? logAxis(values) : linearAxis(values);
  const sy = (v: number) => y0 - axis.fraction(v) * PLOT_H;
  const yTicks = axis.ticks;

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
    // Two columns of about 430 px each: some 56 characters fit before the next column.
    out.push(`<text x="${lx + 20}" y="${y - 3}" fill="#222">${esc(clip(s.label, 56))}</text>`);
  });
  captionLines.forEach((line, i) => {
    out.push(`<text x="${M.left}" y="${ly + legendRows * 20 + i * 16}" fill="#555">${esc(line)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

interface Axis {
  ticks: number[];
  /** Where a value sits between the bottom (0) and the top (1) of the plot. */
  fraction: (v: number) => number;
}

function linearAxis(values: readonly number[]): Axis {
  let [lo, hi] = values.length ? extent(values) : [0, 1];
  if (lo > 0 && lo < hi * 0.5) lo = 0; // anchor at zero when it does not squash the data
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const ticks = niceTicks(lo, hi, 5);
  const yMin = ticks[0]!;
  const yMax = ticks[ticks.length - 1]!;
  return { ticks, fraction: (v) => (v - yMin) / (yMax - yMin || 1) };
}

function logAxis(values: readonly number[]): Axis {
  const [min, max] = values.length ? extent(values) : [1, 10];
  const ticks = logTicks(min, max);
  const lo = Math.log10(ticks[0]!);
  const hi = Math.log10(ticks[ticks.length - 1]!);
  return { ticks, fraction: (v) => (Math.log10(v) - lo) / (hi - lo || 1) };
}

/** Smallest and largest value, by a loop: 8 lines × 11,000 points are too many arguments for Math.min(...). */
function extent(values: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** Powers of ten covering [lo, hi] (both > 0), every k-th decade so that at most about eight are labelled. */
export function logTicks(lo: number, hi: number): number[] {
  const first = Math.floor(Math.log10(lo));
  let last = Math.ceil(Math.log10(hi));
  if (last === first) last = first + 1;
  const every = Math.max(1, Math.ceil((last - first) / 8));
  const ticks: number[] = [];
  for (let e = first; e < last + every; e += every) ticks.push(Number(`1e${e}`));
  return ticks;
}

/** Breaks a sentence into lines of at most `width` characters at spaces (a longer word stays whole). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const word of text.split(' ')) {
    if (cur && cur.length + 1 + word.length > width) {
      lines.push(cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur) lines.push(cur);
  return lines;
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
