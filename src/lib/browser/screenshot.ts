import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { pngInfo } from '../evidence/png.js';
import { loadPlaywright } from './playwright.js';

/** Where a system Chromium or Chrome lives on Debian/Ubuntu and on GitHub's hosted runners. */
export const BROWSER_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/snap/bin/chromium',
];

/** The system browser: an explicit path, else the first candidate that exists. Never a downloaded one. */
export function findBrowser(explicit?: string): string {
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`no browser at ${explicit}`);
    return explicit;
  }
  const found = BROWSER_CANDIDATES.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `no Chromium or Chrome found (looked at ${BROWSER_CANDIDATES.join(', ')}); install it (Debian: \`apt-get install -y chromium\`) or give its path`,
    );
  }
  return found;
}

/** Flags that make a headless Chromium quiet and self-contained: no sandbox needs, no GPU, no network of its own. */
export const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--hide-scrollbars',
  '--mute-audio',
];

export interface ScreenshotRequest {
  url: string;
  /** PNG destination. */
  path: string;
  width: number;
  height: number;
  /** A CSS selector that must be visible before the picture is taken (a panel, a chart). */
  waitFor?: string;
  /** One header sent to the dashboard's own origin only (never to third parties); never logged or written. */
  header?: { name: string; value: string };
  timeoutMs: number;
  fullPage?: boolean;
}

export interface ScreenshotResult {
  url: string;
  /** Where the browser ended up (after redirects). */
  finalUrl: string;
  title: string;
  httpStatus?: number;
  width: number;
  height: number;
  bytes: number;
  durationMs: number;
}

/**
 * One headless system browser for a run's screenshots, with a fresh profile that is deleted afterwards.
 * Open with `Screenshotter.launch`, always `close()` in finally.
 */
export class Screenshotter {
  private constructor(
    private readonly context: BrowserContext,
    private readonly profileDir: string,
  ) {}

  static async launch(
    opts: { executablePath?: string; log?: (line: string) => void } = {},
  ): Promise<Screenshotter> {
    const executablePath = findBrowser(opts.executablePath);
    const pw = await loadPlaywright(opts.log);
    const profileDir = await mkdtemp(join(tmpdir(), 'cc-chromium-'));
    try {
      // A persistent context is how playwright takes a user-data-dir; a fresh one per run keeps runs apart.
      const context = await pw.chromium.launchPersistentContext(profileDir, {
        executablePath,
        headless: true,
        args: LAUNCH_ARGS,
        viewport: { width: 1280, height: 800 },
        deviceScaleFactor: 1,
        ignoreHTTPSErrors: false,
        timeout: 60_000,
      });
      return new Screenshotter(context, profileDir);
    } catch (err) {
      await rm(profileDir, { recursive: true, force: true });
      throw err;
    }
  }

  async capture(req: ScreenshotRequest): Promise<ScreenshotResult> {
    const started = Date.now();
    const page = await this.context.newPage();
    try {
      await page.setViewportSize({ width: req.width, height: req.height });
      if (req.header) await sendHeaderToOriginOnly(page, req.url, req.header);
      const response = await page.goto(req.url, { waitUntil: 'load', timeout: req.timeoutMs });
      await settle(page, req);
      const png = await page.screenshot({
        type: 'png',
        fullPage: req.fullPage ?? true,
        animations: 'disabled',
        caret: 'hide',
        timeout: req.timeoutMs,
      });
      await mkdir(dirname(req.path), { recursive: true });
      await writeFile(req.path, png);
      const { width, height } = pngInfo(png);
      return {
        url: req.url,
        finalUrl: page.url(),
        title: await page.title(),
        ...(response ? { httpStatus: response.status() } : {}),
        width,
        height,
        bytes: png.length,
        durationMs: Date.now() - started,
      };
    } finally {
      await page.close().catch(() => {});
    }
  }

  async close(): Promise<void> {
    try {
      await this.context.close();
    } finally {
      await rm(this.profileDir, { recursive: true, force: true });
    }
  }
}

async function sendHeaderToOriginOnly(
  page: Page,
  url: string,
  header: { name: string; value: string },
): Promise<void> {
  const origin = new URL(url).origin;
  await page.route('**/*', async (route) => {
    const req = route.request();
    let sameOrigin = false;
    try {
      sameOrigin = new URL(req.url()).origin === origin;
    } catch {
      sameOrigin = false;
    }
    if (sameOrigin)
      await route.continue({ headers: { ...req.headers(), [header.name.toLowerCase()]: header.value } });
    else await route.continue();
  });
}

/**
 * A dashboard has settled when its network has been quiet for a moment, the selector (if any) is
 * visible, web fonts are loaded and two frames have been painted since.
 */
async function settle(page: Page, req: ScreenshotRequest): Promise<void> {
  await page.waitForLoadState('networkidle', { timeout: req.timeoutMs }).catch(() => {
    // Pages that poll forever never go idle; the selector and the paint wait below still apply.
  });
  if (req.waitFor) await page.waitForSelector(req.waitFor, { state: 'visible', timeout: req.timeoutMs });
  // Page-side code is passed as text: it runs in the browser, whose types this project does not load.
  await page.evaluate(
    'document.fonts.ready.then(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))',
  );
}
