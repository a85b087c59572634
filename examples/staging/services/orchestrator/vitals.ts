import { client, type Registry } from '../lib/metrics.js';

// Web Vitals of the Experience squad's chat client. The page /app/chat measures them in the browser
// (PerformanceObserver: paint, largest-contentful-paint, layout-shift, event timing, navigation
// timing) and reports them to POST /v1/vitals, in milliseconds like the `web-vitals` library; a
// client without a browser (the traffic generator) reports what it measured itself, its TTFB.
// Timings share one histogram labelled by vital, so one panel shows all of them at p75.

export const PAGES = ['/app/chat'] as const;
export const TIMED_VITALS = ['LCP', 'FCP', 'INP', 'TTFB'] as const;
export const VITAL_NAMES = [...TIMED_VITALS, 'CLS'] as const;
export type VitalName = (typeof VITAL_NAMES)[number];

/** Buckets around web.dev's good / needs-improvement / poor thresholds of every timed vital. */
const SECONDS_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1, 1.8, 2.5, 3, 4, 6, 10];
const CLS_BUCKETS = [0, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1];

export const VITALS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['page', 'metrics'],
  properties: {
    page: { type: 'string', enum: [...PAGES] },
    metrics: {
      type: 'array',
      minItems: 1,
      maxItems: 20,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'value'],
        properties: {
          name: { type: 'string', enum: [...VITAL_NAMES] },
          value: { type: 'number', minimum: 0, maximum: 600_000 },
          id: { type: 'string', maxLength: 128 },
        },
      },
    },
  },
};

export interface VitalReport {
  page: string;
  metrics: { name: VitalName; value: number }[];
}

/** The histograms a report goes into: milliseconds become seconds; CLS has no unit. */
export function observation(m: { name: VitalName; value: number }): { seconds?: number; cls?: number } {
  return m.name === 'CLS' ? { cls: m.value } : { seconds: m.value / 1000 };
}

export function vitalsMetrics(registry: Registry) {
  const timed = new client.Histogram({
    name: 'experience_web_vitals_seconds',
    help: 'Web Vitals timings of the chat client (LCP, FCP, INP, TTFB), as its clients measure them.',
    labelNames: ['page', 'vital'],
    buckets: SECONDS_BUCKETS,
    registers: [registry],
  });
  const cls = new client.Histogram({
    name: 'experience_web_vitals_cls',
    help: 'Cumulative Layout Shift of the chat client, as browsers measure it (no unit).',
    labelNames: ['page'],
    buckets: CLS_BUCKETS,
    registers: [registry],
  });
  return {
    record(report: VitalReport): void {
      for (const m of report.metrics) {
        const o = observation(m);
        if (o.cls !== undefined) cls.observe({ page: report.page }, o.cls);
        else timed.observe({ page: report.page, vital: m.name }, o.seconds!);
      }
    },
  };
}

/**
 * The chat page: a prompt box that talks to the orchestrator's WebSocket, and the measurement of its
 * own Web Vitals. Loads, paints and reports on its own; a session comes from ?session_id= or is
 * started for ?tenant= (default acme).
 */
export const CHAT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Chat</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px system-ui,sans-serif;margin:2rem;max-width:48rem}h1{font-size:1.6rem}
#log{border:1px solid #ccc;min-height:8rem;padding:.5rem;white-space:pre-wrap}form{margin-top:1rem}
input{width:70%;font-size:1rem}</style></head>
<body><h1>Chat</h1><p id="status">connecting…</p><div id="log"></div>
<form id="ask"><input id="prompt" value="What are the opening hours of the support desk?"><button>Send</button></form>
<script>
(() => {
  const page = '/app/chat';
  const v = {};
  let reported = false, inp = 0;
  const observe = (type, fn) => { try { new PerformanceObserver((l) => l.getEntries().forEach(fn)).observe({ type, buffered: true }); } catch {} };
  observe('paint', (e) => { if (e.name === 'first-contentful-paint') v.FCP = e.startTime; });
  observe('largest-contentful-paint', (e) => { v.LCP = e.startTime; });
  v.CLS = 0;
  observe('layout-shift', (e) => { if (!e.hadRecentInput) v.CLS += e.value; });
  try { new PerformanceObserver((l) => l.getEntries().forEach((e) => { if (e.interactionId) inp = Math.max(inp, e.duration); })).observe({ type: 'event', durationThreshold: 16, buffered: true }); } catch {}
  const nav = performance.getEntriesByType('navigation')[0];
  if (nav) v.TTFB = nav.responseStart;
  const send = (metrics, beacon) => {
    const body = JSON.stringify({ page, metrics });
    if (beacon && navigator.sendBeacon) navigator.sendBeacon('/v1/vitals', new Blob([body], { type: 'application/json' }));
    else fetch('/v1/vitals', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, keepalive: true })
      .then((r) => { document.body.dataset.vitals = r.ok ? 'reported' : 'failed ' + r.status; });
  };
  // Load vitals once the page has painted (a busy machine paints after load) and settled for a second,
  // or after 15 s with what there is; INP when the page is left (it grows with every interaction).
  const started = performance.now();
  const report = () => {
    if (reported) return;
    if ((v.FCP === undefined || v.LCP === undefined) && performance.now() - started < 15000) { setTimeout(report, 250); return; }
    reported = true;
    send(Object.entries(v).filter(([, x]) => typeof x === 'number').map(([name, value]) => ({ name, value: Math.round(value * 1000) / 1000 })), false);
  };
  addEventListener('load', () => setTimeout(report, 1000));
  addEventListener('pagehide', () => { if (inp > 0) send([{ name: 'INP', value: inp }], true); });

  const q = new URLSearchParams(location.search);
  const log = document.getElementById('log'), status = document.getElementById('status');
  const session = q.get('session_id') ? Promise.resolve(q.get('session_id')) :
    fetch('/v1/sessions/start', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ tenant: q.get('tenant') || 'acme', user: 'browser' }) })
      .then((r) => r.ok ? r.json().then((s) => s.session_id) : Promise.reject(new Error('session: HTTP ' + r.status)));
  session.then((id) => {
    const ws = new WebSocket(location.origin.replace(/^http/, 'ws') + '/v1/conversation/ws?session_id=' + encodeURIComponent(id));
    ws.onopen = () => { status.textContent = 'connected'; };
    ws.onmessage = (e) => { const m = JSON.parse(e.data); if (m.token) log.textContent += m.token; else if (m.done) log.textContent += '\\n'; else if (m.error) log.textContent += '[' + m.error + ']\\n'; };
    ws.onclose = () => { status.textContent = 'disconnected'; };
    document.getElementById('ask').onsubmit = (ev) => { ev.preventDefault(); ws.send(JSON.stringify({ prompt: document.getElementById('prompt').value })); };
  }, (err) => { status.textContent = err.message; });
})();
</script></body></html>
`;
