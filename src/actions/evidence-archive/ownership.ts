import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigurationError } from '../../lib/errors.js';
import { MANIFEST_MARKER, MANIFEST_NAME } from '../../lib/evidence/manifest.js';
import { withSection } from '../../lib/evidence/sections.js';
import { refuseSymlinks } from '../../lib/owned-paths.js';
import type { ArchivePlan } from './inputs.js';

/** The status file's section this action owns. */
export const REPORT_SECTION = 'integration-day';

/** A whole report an earlier version wrote, before the status file had sections. */
export function isLegacyReport(text: string): boolean {
  return /^# Integration Day \d{4}-\d{2}-\d{2}\n/.test(text) && text.includes('manifest (SHA-256)');
}

/** The status file with this day's report in its section; the rest of the file is kept. */
export function statusFileText(existing: string | undefined, report: string, file: string): string {
  return withSection(existing, REPORT_SECTION, report, { file, legacy: isLegacyReport });
}

/**
 * Before anything is written: the status file and the evidence folder in the checkout are real
 * (no linked folder on the way) and either absent or this action's own output, so a file a
 * person wrote is never replaced.
 */
export async function checkOwnedOutputs(plan: ArchivePlan, workspace: string): Promise<void> {
  const { statusFile, statusFileRel, evidenceDir, evidenceDirRel } = plan.paths;
  await refuseSymlinks(workspace, statusFileRel, "input 'status-file':");
  await refuseSymlinks(workspace, evidenceDirRel, "input 'evidence-dir':");
  const existing = await readFile(statusFile, 'utf8').catch(() => undefined);
  statusFileText(existing, '', statusFileRel);
  const entries = await readdir(evidenceDir).catch(() => undefined);
  if (entries && entries.length > 0) {
    const manifest = await readFile(join(evidenceDir, MANIFEST_NAME), 'utf8').catch(() => '');
    if (!manifest.includes(MANIFEST_MARKER)) {
      throw new ConfigurationError(
        `${evidenceDirRel} already holds files that evidence-archive did not write (no ${MANIFEST_NAME} of its own); ` +
          'they were left as they are and nothing was written. Move them, or choose another evidence-dir.',
      );
    }
  }
}
