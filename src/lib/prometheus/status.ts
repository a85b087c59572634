import { getJson, UnreachableError, type HttpSource } from '../net/get-json.js';

/** A scrape target (`GET /api/v1/targets?state=active`). */
export interface ScrapeTarget {
  scrapePool: string;
  scrapeUrl: string;
  labels: Record<string, string>;
  health: 'up' | 'down' | 'unknown' | string;
  lastError: string;
  lastScrape: string;
}

/** An alert of Prometheus' own rules (`GET /api/v1/alerts`). */
export interface PrometheusAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'firing' | 'pending' | 'inactive' | string;
  activeAt?: string;
}

interface Envelope<T> {
  status: string;
  data?: T;
  error?: string;
}

async function api<T>(source: HttpSource, path: string, signal: AbortSignal): Promise<T> {
  const body = await getJson<Envelope<T>>(source, path, signal, 'Prometheus');
  if (body?.status !== 'success' || body.data === undefined)
    throw new UnreachableError(`Prometheus refused ${path}: ${body?.error ?? 'no data in its answer'}`);
  return body.data;
}

/** The active scrape targets and their health. */
export async function scrapeTargets(source: HttpSource, signal: AbortSignal): Promise<ScrapeTarget[]> {
  const data = await api<{ activeTargets?: ScrapeTarget[] }>(source, '/api/v1/targets?state=active', signal);
  return data.activeTargets ?? [];
}

/** The alerts Prometheus' rules hold now (pending and firing). */
export async function prometheusAlerts(source: HttpSource, signal: AbortSignal): Promise<PrometheusAlert[]> {
  const data = await api<{ alerts?: PrometheusAlert[] }>(source, '/api/v1/alerts', signal);
  return data.alerts ?? [];
}
