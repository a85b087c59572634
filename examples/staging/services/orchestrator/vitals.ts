import { client, type Registry } from '../lib/metrics.js';

// Web Vitals of the Experience squad's chat client, as browsers measure them with the `web-vitals`
// library and send them to POST /v1/vitals (the page /app/chat does). Histograms per page, buckets
// around web.dev's good / needs-improvement / poor thresholds.

export const PAGES = ['/app/chat'] as const;
export const VITALS = {
  LCP: { unit: 's', buckets: [0.25, 0.5, 1, 1.5, 2, 2.5, 3, 4, 6, 10] },
  INP: { unit: 's', buckets: [0.016, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2] },
  CLS: { unit: '', buckets: [0, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1] },
  FCP: { unit: 's', buckets: [0.1, 0.25, 0.5, 1, 1.8, 3, 5] },
  TTFB: { unit: 's', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 0.8, 1.8] },
} as const;
export type VitalName = keyof typeof VITALS;

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
        required: ['name', 'value'],
        properties: {
          name: { type: 'string', enum: Object.keys(VITALS) },
          value: { type: 'number', minimum: 0, maximum: 600_000 },
          rating: { type: 'string', enum: ['good', 'needs-improvement', 'poor'] },
          id: { type: 'string', maxLength: 128 },
          navigationType: { type: 'string', maxLength: 32 },
        },
      },
    },
  },
};

export function vitalsMetrics(registry: Registry) {
  const histograms = Object.fromEntries(
    Object.entries(VITALS).map(([name, v]) => [
      name,
      new client.Histogram({
        name: `experience_web_vitals_${name.toLowerCase()}${v.unit === 's' ? '_seconds' : ''}`,
        help: `Web Vitals ${name} of the chat client, as browsers report it${v.unit === 's' ? ' (seconds)' : ''}.`,
        labelNames: ['page'],
        buckets: [...v.buckets],
        registers: [registry],
      }),
    ]),
  ) as Record<VitalName, client.Histogram<'page'>>;
  return {
    /** web-vitals reports milliseconds (CLS has no unit); the histograms keep seconds. */
    record(page: string, metrics: { name: VitalName; value: number }[]): void {
      for (const m of metrics) histograms[m.name].observe({ page }, VITALS[m.name].unit === 's' ? m.value / 1000 : m.value);
    },
  };
}
