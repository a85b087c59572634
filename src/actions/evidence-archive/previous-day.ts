// The Integration Day before this one, as the checkout holds it: the newest evidence folder of a date
// strictly earlier than today's, read back from its committed files (the smoke-suite result and the
// metric snapshots), for the status report's "Since last week".
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isCalendarDate } from '../../lib/dates.js';
import { evidencePaths } from '../../lib/evidence/layout.js';
import { MANIFEST_MARKER, MANIFEST_NAME } from '../../lib/evidence/manifest.js';
import { isEnvelope } from '../../lib/evidence/results.js';
import {
  mergeSmokeDays,
  smokeDay,
  type PanelSnapshot,
  type SmokeDay,
} from '../../lib/evidence/week-over-week.js';

export interface PreviousDay {
  date: string;
  statusFileRel: string;
  evidenceDirRel: string;
  panels: PanelSnapshot[];
  /** Absent when that day has no smoke-suite result. */
  smoke?: SmokeDay;
}

/**
 * Where the days' evidence folders sit: the folder above the first path segment with `{date}` in it,
 * and that segment as a pattern (`docs/sprints/status/{date}/evidence` → `docs/sprints/status`, `{date}`).
 */
export function datedSegment(template: string): { parent: string; segment: RegExp } {
  const parts = template.split('/');
  const i = parts.findIndex((p) => p.includes('{date}'));
  const escaped = parts[i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(
    '\\{date\\}',
    '(\\d{4}-\\d{2}-\\d{2})',
  );
  return { parent: parts.slice(0, i).join('/') || '.', segment: new RegExp(`^${escaped}$`) };
}

/** The dates among `names` (folder entries) strictly before `date`, newest first. */
export function earlierDates(names: readonly string[], segment: RegExp, date: string): string[] {
  const dates = names.flatMap((n) => {
    const d = segment.exec(n)?.[1];
    return d && isCalendarDate(d) && d < date ? [d] : [];
  });
  return [...new Set(dates)].sort().reverse();
}

/** The newest earlier day that has an evidence folder of evidence-archive's own; none → undefined. */
export async function readPreviousDay(o: {
  workspace: string;
  date: string;
  templates: { statusFile: string; evidenceDir: string };
}): Promise<PreviousDay | undefined> {
  const { parent, segment } = datedSegment(o.templates.evidenceDir);
  const names = await readdir(join(o.workspace, parent)).catch(() => [] as string[]);
  for (const date of earlierDates(names, segment, o.date)) {
    const paths = evidencePaths(o.workspace, date, o.templates.statusFile, o.templates.evidenceDir);
    const manifest = await readFile(join(paths.evidenceDir, MANIFEST_NAME), 'utf8').catch(() => '');
    if (!manifest.includes(MANIFEST_MARKER)) continue;
    const smoke = await readSmoke(join(paths.evidenceDir, 'results'));
    return {
      date,
      statusFileRel: paths.statusFileRel,
      evidenceDirRel: paths.evidenceDirRel,
      panels: await readPanels(join(paths.evidenceDir, 'metrics')),
      ...(smoke ? { smoke } : {}),
    };
  }
  return undefined;
}

/** Every metric snapshot of the day (metrics/<name>.json), as its statistics. */
async function readPanels(dir: string): Promise<PanelSnapshot[]> {
  const out: PanelSnapshot[] = [];
  for (const value of await readJsonFiles(dir)) {
    const v = value as Partial<PanelSnapshot> & { schemaVersion?: unknown };
    if (v.schemaVersion !== 1 || typeof v.name !== 'string' || !Array.isArray(v.stats)) continue;
    out.push({
      name: v.name,
      stats: v.stats,
      ...(typeof v.panel === 'string' ? { panel: v.panel } : {}),
      ...(typeof v.squad === 'string' ? { squad: v.squad } : {}),
      ...(typeof v.unit === 'string' ? { unit: v.unit } : {}),
      ...(typeof v.error === 'string' ? { error: v.error } : {}),
    });
  }
  return out;
}

/** The day's smoke-suite results (one per job that ran it), merged; none → undefined. */
async function readSmoke(dir: string): Promise<SmokeDay | undefined> {
  const days = (await readJsonFiles(dir))
    .filter((v) => isEnvelope(v) && v.action === 'smoke-suite')
    .map((v) => smokeDay((v as { result: unknown }).result));
  return days.length ? mergeSmokeDays(days) : undefined;
}

async function readJsonFiles(dir: string): Promise<unknown[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).sort();
  const out: unknown[] = [];
  for (const n of names) {
    try {
      out.push(JSON.parse(await readFile(join(dir, n), 'utf8')));
    } catch {
      // A file that is not JSON (or was not kept) says nothing about the day.
    }
  }
  return out;
}
