/**
 * Where a shard plan's durations come from: the newest day of committed evidence (each suite's
 * wall time, retries included, as smoke-suite recorded it), or a timings file a team keeps itself.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { InputError } from '../../lib/errors.js';
import { parseDurationMs } from '../../lib/duration.js';

export interface History {
  /** Suite name → milliseconds. */
  durations: Map<string, number>;
  /** What was read, for the log and the result ('' when nothing was found). */
  source: string;
}

const DAY_FOLDER = /^\d{4}-\d{2}-\d{2}$/;
const RESULT_FILE = /^smoke-suite.*\.json$/;

/**
 * `timings` is a JSON file (`{"<suite>": <ms> | "<duration>"}`) or a folder of status days
 * (`docs/sprints/status`): then the newest `<yyyy-mm-dd>/evidence/results/smoke-suite*.json` of
 * the newest day that has one — every shard's result of that day when it was sharded. A missing
 * folder is no history (a first day), not an error.
 */
export async function readHistory(workspace: string, timings: string): Promise<History> {
  const path = join(workspace, timings);
  const info = await stat(path).catch(() => undefined);
  if (!info) return { durations: new Map(), source: '' };
  if (info.isFile()) return { durations: await readTimingsFile(path, timings), source: timings };
  const days = (await readdir(path))
    .filter((d) => DAY_FOLDER.test(d))
    .sort()
    .reverse();
  for (const day of days) {
    const dir = join(path, day, 'evidence', 'results');
    const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => RESULT_FILE.test(f)).sort();
    if (files.length === 0) continue;
    const durations = new Map<string, number>();
    for (const f of files) {
      const text = await readFile(join(dir, f), 'utf8');
      for (const [name, ms] of suiteDurations(parseJson(text, posix.join(timings, day, f))))
        durations.set(name, ms);
    }
    return { durations, source: posix.join(timings, day, 'evidence', 'results') };
  }
  return { durations: new Map(), source: '' };
}

async function readTimingsFile(path: string, shown: string): Promise<Map<string, number>> {
  const doc = parseJson(await readFile(path, 'utf8'), shown);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new InputError('timings', shown, 'expected a JSON object of suite name → milliseconds or duration');
  const out = new Map<string, number>();
  for (const [name, value] of Object.entries(doc)) {
    const ms =
      typeof value === 'number' ? value : typeof value === 'string' ? parseDurationMs(value) : undefined;
    if (ms === undefined || !Number.isFinite(ms) || ms < 0)
      throw new InputError(
        'timings',
        shown,
        `suite ${JSON.stringify(name)} has ${JSON.stringify(value)}; expected milliseconds (a number ≥ 0) or a duration such as 90s`,
      );
    out.set(name, ms);
  }
  return out;
}

function parseJson(text: string, shown: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new InputError('timings', shown, `not valid JSON (${(err as Error).message})`);
  }
}

/**
 * Each suite's wall time in a smoke-suite result: start to finish (retries and their waits
 * included, which is what a shard spends), else its attempts' sum. Suites that never ran have no
 * time and are left out, so they get the median rather than zero. Tolerant of older results.
 */
export function suiteDurations(doc: unknown): Map<string, number> {
  const out = new Map<string, number>();
  const suites = (doc as { result?: { suites?: unknown } } | null)?.result?.suites;
  if (!Array.isArray(suites)) return out;
  for (const s of suites as Record<string, unknown>[]) {
    if (typeof s?.name !== 'string') continue;
    const started = typeof s.startedAt === 'string' ? Date.parse(s.startedAt) : NaN;
    const finished = typeof s.finishedAt === 'string' ? Date.parse(s.finishedAt) : NaN;
    let ms = finished - started;
    if (!Number.isFinite(ms) || ms < 0) {
      const attempts = Array.isArray(s.attempts) ? (s.attempts as { durationMs?: unknown }[]) : [];
      const times = attempts.map((a) => a.durationMs).filter((d): d is number => typeof d === 'number');
      ms = times.length > 0 ? times.reduce((a, b) => a + b, 0) : NaN;
    }
    if (Number.isFinite(ms) && ms > 0) out.set(s.name, ms);
  }
  return out;
}
