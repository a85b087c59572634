import client from 'prom-client';

// One registry per service. Metric names are stable (listed in examples/staging/README.md): the
// Prometheus queries behind the dashboards and evidence snapshots depend on them.

export type Registry = client.Registry;

/** Buckets for request and decision latencies (seconds): 1 ms to 5 s. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export function createRegistry(service: string): client.Registry {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  new client.Gauge({
    name: 'staging_service_info',
    help: 'Constant 1, labelled with the service name and version.',
    labelNames: ['service', 'version'],
    registers: [registry],
  }).set({ service, version: SERVICE_VERSION }, 1);
  return registry;
}

export const SERVICE_VERSION = '0.1.0';

export interface HttpMetrics {
  requests: client.Counter<'method' | 'route' | 'status'>;
  duration: client.Histogram<'method' | 'route'>;
}

export function httpMetrics(registry: client.Registry): HttpMetrics {
  return {
    requests: new client.Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by route template and status code.',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    duration: new client.Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer an HTTP request (API latency), by route template.',
      labelNames: ['method', 'route'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
  };
}

export { client };
