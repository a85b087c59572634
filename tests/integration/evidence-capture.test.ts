import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { PrometheusClient, PrometheusError } from '../../src/lib/prometheus/client.js';
import { Screenshotter } from '../../src/lib/browser/screenshot.js';
import { decodePng, looksBlank, pixelStats, pngInfo } from '../../src/lib/evidence/png.js';
import { needsServers, requireServer } from '../support/servers.js';

needsServers('prometheus');

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'cc-evidence-capture-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("PrometheusClient against the stack's Prometheus", () => {
  it("a range query returns Prometheus' own up series, one sample per step", async () => {
    const url = await requireServer('prometheus');
    const client = new PrometheusClient({ url });
    const end = new Date();
    const start = new Date(end.getTime() - 5 * 60_000);
    // The stack scrapes itself every 5 s; wait until its first scrape is in the window.
    let r = await client.queryRange('up{job="prometheus"}', start, end, 15);
    for (let i = 0; i < 30 && r.result.length === 0; i++) {
      await new Promise((res) => setTimeout(res, 1000));
      r = await client.queryRange('up{job="prometheus"}', start, new Date(), 15);
    }
    expect(r.result).toHaveLength(1);
    expect(r.result[0]!.metric).toMatchObject({ __name__: 'up', job: 'prometheus' });
    const times = r.result[0]!.values.map(([t]) => t);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(15);
    expect(r.result[0]!.values.every(([, v]) => v === '1')).toBe(true);
  });

  it("bad PromQL is Prometheus' own error, with its type", async () => {
    const url = await requireServer('prometheus');
    const err = await new PrometheusClient({ url })
      .queryRange('sum(rate(x[5m]', new Date(Date.now() - 60_000), new Date(), 15)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrometheusError);
    expect((err as PrometheusError).errorType).toBe('bad_data');
    expect((err as Error).message).toMatch(/Prometheus rejected the query \(bad_data\): .*parse error/);
  });

  it('an address nobody listens on is "unreachable"', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    await new Promise((r) => srv.close(r));
    await expect(
      new PrometheusClient({ url: `http://127.0.0.1:${port}`, timeoutMs: 3000 }).query('up'),
    ).rejects.toThrow(/unreachable \(ECONNREFUSED\)/);
  });
});

describe('Screenshotter with the system Chromium', () => {
  it('takes a full-page PNG of the Prometheus UI that is the requested width and not blank', async () => {
    const base = await requireServer('prometheus');
    const shots = await Screenshotter.launch();
    try {
      const path = join(scratch, 'prometheus.png');
      const r = await shots.capture({
        url: `${base}/graph`,
        path,
        width: 1024,
        height: 700,
        waitFor: 'nav',
        timeoutMs: 60_000,
      });
      const png = readFileSync(path);
      const info = pngInfo(png);
      expect(info.width).toBe(1024);
      expect(info.height).toBeGreaterThanOrEqual(700);
      expect(r).toMatchObject({ width: info.width, height: info.height, bytes: png.length, httpStatus: 200 });
      expect(r.title).toMatch(/Prometheus/);
      const stats = pixelStats(decodePng(png));
      expect(looksBlank(stats)).toBe(false);
      expect(stats.distinctColors).toBeGreaterThan(20);
      expect(stats.lumaStdDev).toBeGreaterThan(5);
    } finally {
      await shots.close();
    }
  }, 120_000);

  it('an empty page is recognised as blank', async () => {
    const server = await serve(() => '<html><body style="margin:0;background:#fff"></body></html>');
    const shots = await Screenshotter.launch();
    try {
      const path = join(scratch, 'blank.png');
      await shots.capture({ url: server.url, path, width: 400, height: 300, timeoutMs: 30_000 });
      const stats = pixelStats(decodePng(readFileSync(path)));
      expect(looksBlank(stats)).toBe(true);
      expect(stats.distinctColors).toBe(1);
    } finally {
      await shots.close();
      server.close();
    }
  }, 120_000);

  it("sends the auth header to the dashboard's origin only, and waits for the selector", async () => {
    const thirdParty = await serve(() => 'body { background: #fafafa }');
    const dashboard = await serve((path) =>
      path === '/'
        ? `<html><head><link rel="stylesheet" href="${thirdParty.url}/style.css"></head><body><h1>Ops</h1><div id="panel"></div>
       <script>fetch('/data').then(r => r.text()).then(t => { const p = document.getElementById('panel'); p.textContent = t; p.className = 'ready'; });</script></body></html>`
        : 'panel data loaded',
    );
    const shots = await Screenshotter.launch();
    try {
      const path = join(scratch, 'auth.png');
      await shots.capture({
        url: dashboard.url,
        path,
        width: 640,
        height: 480,
        waitFor: '#panel.ready',
        header: { name: 'Authorization', value: 'Bearer s3cret-dashboard-token' },
        timeoutMs: 30_000,
      });
      const dash = dashboard.requests.filter((r) => r.path === '/' || r.path === '/data');
      expect(dash.map((r) => r.path).sort()).toEqual(['/', '/data']);
      for (const r of dash) expect(r.headers.authorization).toBe('Bearer s3cret-dashboard-token');
      expect(thirdParty.requests.map((r) => r.path)).toContain('/style.css');
      for (const r of thirdParty.requests) expect(r.headers.authorization).toBeUndefined();
      expect(looksBlank(pixelStats(decodePng(readFileSync(path))))).toBe(false);
    } finally {
      await shots.close();
      dashboard.close();
      thirdParty.close();
    }
  }, 120_000);
});

async function serve(
  body: (path: string) => string,
): Promise<{ url: string; requests: { path: string; headers: IncomingHttpHeaders }[]; close: () => void }> {
  const requests: { path: string; headers: IncomingHttpHeaders }[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push({ path, headers: req.headers });
    if (path === '/favicon.ico') {
      res.writeHead(404).end();
      return;
    }
    res
      .writeHead(200, {
        'content-type': path.endsWith('.css') ? 'text/css' : path === '/data' ? 'text/plain' : 'text/html',
      })
      .end(body(path));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => server.close(),
  };
}
