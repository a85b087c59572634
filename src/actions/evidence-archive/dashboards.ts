import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Screenshotter } from '../../lib/browser/screenshot.js';
import { toError } from '../../lib/errors.js';
import { LAYOUT } from '../../lib/evidence/layout.js';
import { decodePng, looksBlank, pixelStats } from '../../lib/evidence/png.js';
import type { ReportDashboard } from '../../lib/evidence/report.js';
import type { EvidenceStage } from '../../lib/evidence/stage.js';
import type { ArchivePlan } from './inputs.js';

/**
 * Screenshots each dashboard with the system browser. A page that fails to load or comes out blank
 * is reported (a blank picture proves nothing) and the others go on.
 */
export async function captureDashboards(o: {
  plan: ArchivePlan;
  stage: EvidenceStage;
  problems: string[];
  log: (l: string) => void;
}): Promise<ReportDashboard[]> {
  let shots: Screenshotter;
  try {
    shots = await Screenshotter.launch({
      ...(o.plan.browserPath ? { executablePath: o.plan.browserPath } : {}),
      log: o.log,
    });
  } catch (err) {
    const message = toError(err).message;
    o.problems.push(`dashboards not captured: ${message}`);
    return o.plan.dashboards.map((d) => ({ name: d.name, url: d.url, error: message }));
  }
  const out: ReportDashboard[] = [];
  try {
    for (const d of o.plan.dashboards) {
      const tmp = join(o.stage.dir, `.capture-${d.name}.png`);
      try {
        const r = await shots.capture({
          url: d.url,
          path: tmp,
          width: d.width,
          height: d.height,
          fullPage: d.fullPage,
          timeoutMs: d.timeoutMs,
          ...(d.waitFor ? { waitFor: d.waitFor } : {}),
          ...(d.sendAuth && o.plan.dashboardHeader ? { header: o.plan.dashboardHeader } : {}),
        });
        const png = await readFile(tmp);
        const blank = looksBlank(pixelStats(decodePng(png)));
        const entry = await o.stage.addBytes(LAYOUT.screenshot(d.name), png, {
          kind: 'screenshot',
          source: `dashboard:${d.url}`,
        });
        if (blank)
          o.problems.push(
            `dashboard ${d.name} looks blank (one flat colour): check its URL, wait-for selector and auth`,
          );
        if (r.httpStatus !== undefined && r.httpStatus >= 400)
          o.problems.push(`dashboard ${d.name} answered HTTP ${r.httpStatus}`);
        o.log(
          `${d.name}: ${r.width}x${r.height} PNG, ${png.length} bytes in ${r.durationMs} ms${blank ? ' (blank)' : ''}`,
        );
        out.push({ name: d.name, url: d.url, entry, ...(blank ? { blank } : {}) });
      } catch (err) {
        const message = toError(err).message.split('\n')[0]!;
        o.problems.push(`dashboard ${d.name} not captured: ${message}`);
        o.log(`${d.name}: ${message}`);
        out.push({ name: d.name, url: d.url, error: message });
      } finally {
        await rm(tmp, { force: true });
      }
    }
  } finally {
    await shots.close();
  }
  return out;
}
