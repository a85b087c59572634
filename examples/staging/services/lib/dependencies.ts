import { HttpError } from './http.js';
import { client, type Registry } from './metrics.js';

// The stores a service depends on (Redis, PostgreSQL), watched from inside the service: a probe every
// couple of seconds gives /health its check and Prometheus `staging_dependency_up`, which the stack's
// RedisDown/PostgresDown alerts read; every request that fails because of a store leaves its trace id
// in `staging_dependency_last_failure_info`, which those alerts carry as their trace_id annotation.

export type DependencyName = 'redis' | 'postgres';

interface Watched {
  probe: () => Promise<unknown>;
  up: boolean;
  reason: string;
  lastFailure?: { traceId: string; at: number };
}

const PROBE_EVERY_MS = Number(process.env.STAGING_DEPENDENCY_PROBE_MS ?? '2000');
const PROBE_TIMEOUT_MS = 1500;

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export class Dependencies {
  private readonly watched = new Map<DependencyName, Watched>();
  private timer: NodeJS.Timeout | undefined;
  private readonly failures: client.Counter<'dependency'>;

  constructor(registry: Registry) {
    const deps = this.watched;
    new client.Gauge({
      name: 'staging_dependency_up',
      help: 'Whether the last probe of a store the service depends on succeeded (1) or not (0).',
      labelNames: ['dependency'],
      registers: [registry],
      collect() {
        for (const [name, w] of deps) this.set({ dependency: name }, w.up ? 1 : 0);
      },
    });
    new client.Gauge({
      name: 'staging_dependency_last_failure_info',
      help: 'The trace id of the last request that failed because of a store (value: when, Unix time).',
      labelNames: ['dependency', 'trace_id'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [name, w] of deps)
          if (w.lastFailure)
            this.set({ dependency: name, trace_id: w.lastFailure.traceId }, w.lastFailure.at / 1000);
      },
    });
    this.failures = new client.Counter({
      name: 'staging_dependency_failures_total',
      help: 'Requests that failed because a store did not answer.',
      labelNames: ['dependency'],
      registers: [registry],
    });
  }

  /** Watches a store: `probe` must reject when it cannot be used. */
  watch(name: DependencyName, probe: () => Promise<unknown>): void {
    this.watched.set(name, { probe, up: false, reason: 'not probed yet' });
    this.failures.inc({ dependency: name }, 0);
  }

  async probeAll(): Promise<void> {
    await Promise.all(
      [...this.watched].map(async ([name, w]) => {
        try {
          await withTimeout(w.probe(), PROBE_TIMEOUT_MS, name);
          w.up = true;
          w.reason = 'ok';
        } catch (err) {
          w.up = false;
          w.reason = `${name}: ${(err as Error).message}`;
        }
      }),
    );
  }

  start(): void {
    this.timer ??= setInterval(() => void this.probeAll(), PROBE_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** For /health: name → 'ok' or why not. */
  checks(): Record<string, string> {
    return Object.fromEntries([...this.watched].map(([name, w]) => [name, w.up ? 'ok' : w.reason]));
  }

  /**
   * Runs one request's work on a store. A failure is recorded with the request's trace id and becomes
   * a 503 naming the store (the caller sees the outage, never a hang: the clients fail fast).
   */
  async use<T>(name: DependencyName, traceId: string, code: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      const w = this.watched.get(name);
      if (w) {
        w.lastFailure = { traceId, at: Date.now() };
        w.up = false;
        w.reason = `${name}: ${(err as Error).message}`;
      }
      this.failures.inc({ dependency: name });
      throw new HttpError(503, code, `${name} is unavailable: ${(err as Error).message}`);
    }
  }
}
