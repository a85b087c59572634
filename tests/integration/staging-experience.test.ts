import { describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { findBrowser, LAUNCH_ARGS } from '../../src/lib/browser/screenshot.js';
import { needsServers } from '../support/servers.js';

needsServers('kafka', 'redis', 'postgres', 'staging');

// The Experience squad's metrics from real clients: a real browser opens the chat page, asks over
// the WebSocket and reports its own Web Vitals; the orchestrator's /metrics shows both.

const ORCHESTRATOR = `http://127.0.0.1:${process.env.ORCHESTRATOR_PORT ?? '18083'}`;

/** Sum of the samples of one metric whose labels include all of `labels`. */
async function metric(name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${ORCHESTRATOR}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(?:\{([^}]*)\})? ([0-9.e+-]+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[3]);
  }
  return sum;
}

describe('the chat client (real browser, real WebSocket)', () => {
  it('a browser loads /app/chat, converses over the WebSocket and reports its Web Vitals', async () => {
    const count = (vital: string) =>
      metric('experience_web_vitals_seconds_count', { page: '/app/chat', vital });
    const before = {
      lcp: await count('LCP'),
      fcp: await count('FCP'),
      ttfb: await count('TTFB'),
      cls: await metric('experience_web_vitals_cls_count'),
      wsIn: await metric('orchestrator_websocket_messages_total', { direction: 'in' }),
    };
    const profile = await mkdtemp(join(tmpdir(), 'cc-chat-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: findBrowser(),
      headless: true,
      args: LAUNCH_ARGS,
      timeout: 60_000,
    });
    try {
      const page = await context.newPage();
      await page.goto(`${ORCHESTRATOR}/app/chat?tenant=acme`, { waitUntil: 'load' });
      await page.waitForSelector('#status:text("connected")', { timeout: 30_000 });
      await page.click('button');
      // The reply streams in token by token and ends the line.
      await page.waitForFunction(
        // Runs in the page (a string: this project's TypeScript has no DOM types).
        "/Step \\d+: .*\\n$/s.test(document.getElementById('log').textContent || '')",
        null,
        {
          timeout: 30_000,
        },
      );
      await page.waitForSelector('body[data-vitals="reported"]', { timeout: 30_000 });
    } finally {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    }
    expect(await count('LCP')).toBe(before.lcp + 1);
    expect(await count('FCP')).toBe(before.fcp + 1);
    expect(await metric('experience_web_vitals_cls_count')).toBe(before.cls + 1);
    // Background traffic reports TTFB too: at least the browser's one more.
    expect(await count('TTFB')).toBeGreaterThan(before.ttfb);
    expect(await metric('orchestrator_websocket_messages_total', { direction: 'in' })).toBeGreaterThan(
      before.wsIn,
    );
  }, 180_000);
});
