import { request as httpsRequest, type RequestOptions } from 'node:https';
import { request as httpRequest } from 'node:http';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { ConfigurationError } from '../errors.js';

export interface KubeClientOptions {
  kubeconfigPath: string;
  context?: string;
  /** Per-request timeout; a request that takes longer fails instead of hanging the step. */
  requestTimeoutMs?: number;
}

export type WatchEvent<T> = { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'; object: T };

export class KubeRequestError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'KubeRequestError';
  }
}

/**
 * A small read-only Kubernetes client. Authentication (client certificates, tokens, exec plugins
 * such as EKS/GKE/AKS login helpers) and watches come from @kubernetes/client-node; resources are read
 * as plain JSON, so only the fields the action uses are typed.
 */
export class KubeClient {
  private readonly kc = new KubeConfig();
  private readonly watcher: Watch;
  private readonly aborts = new Set<() => void>();
  readonly server: string;

  constructor(private readonly opts: KubeClientOptions) {
    try {
      this.kc.loadFromFile(opts.kubeconfigPath);
    } catch (err) {
      throw new ConfigurationError(`kubeconfig could not be read: ${(err as Error).message.split('\n')[0]}`);
    }
    if (opts.context) {
      if (!this.kc.getContexts().some((c) => c.name === opts.context)) {
        throw new ConfigurationError(
          `input 'context' has value ${JSON.stringify(opts.context)}: no such context in the kubeconfig (has: ${
            this.kc
              .getContexts()
              .map((c) => c.name)
              .join(', ') || 'none'
          })`,
        );
      }
      this.kc.setCurrentContext(opts.context);
    }
    const cluster = this.kc.getCurrentCluster();
    if (!cluster)
      throw new ConfigurationError(
        'the kubeconfig has no current cluster; set current-context or the context input',
      );
    this.server = cluster.server.replace(/\/$/, '');
    this.watcher = new Watch(this.kc);
    // The library ends a watch after this much silence; a quiet rollout can be silent for minutes,
    // so callers re-watch from the last resourceVersion instead (see verify.ts).
    (this.watcher as unknown as { requestTimeoutMs: number }).requestTimeoutMs =
      opts.requestTimeoutMs ?? 30_000;
  }

  async get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
    const text = await this.request(path, query);
    return JSON.parse(text) as T;
  }

  /** Like get, but a 404 is undefined rather than an error. */
  async find<T>(path: string): Promise<T | undefined> {
    try {
      return await this.get<T>(path);
    } catch (err) {
      if (err instanceof KubeRequestError && err.status === 404) return undefined;
      throw err;
    }
  }

  async text(path: string, query: Record<string, string | number | undefined> = {}): Promise<string> {
    return this.request(path, query);
  }

  /** Watches a collection; resolves when the watch ends. Call the returned stop() to end it. */
  async watch<T>(
    path: string,
    query: Record<string, string | number | undefined>,
    onEvent: (e: WatchEvent<T>) => void,
  ): Promise<{ stop: () => void; done: Promise<Error | null> }> {
    let resolveDone!: (e: Error | null) => void;
    const done = new Promise<Error | null>((r) => (resolveDone = r));
    const clean = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as Record<
      string,
      string
    >;
    const req = await this.watcher.watch(
      path,
      clean,
      (type: string, object: T) => onEvent({ type: type as WatchEvent<T>['type'], object }),
      (err: unknown) => resolveDone(err ? (err as Error) : null),
    );
    const stop = () => req.abort();
    this.aborts.add(stop);
    void done.then(() => this.aborts.delete(stop));
    return { stop, done };
  }

  /** Ends every open watch (call in finally: no socket outlives the step). */
  close(): void {
    for (const stop of this.aborts) stop();
    this.aborts.clear();
  }

  private async request(path: string, query: Record<string, string | number | undefined>): Promise<string> {
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    const options: RequestOptions = { method: 'GET', headers: { Accept: 'application/json' } };
    await this.kc.applyToHTTPSOptions(options);
    const timeout = this.opts.requestTimeoutMs ?? 30_000;
    return new Promise<string>((resolve, reject) => {
      const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
      const req = send(url, { ...options, timeout }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 500) >= 400) {
            let message = body;
            try {
              message = (JSON.parse(body) as { message?: string }).message ?? body;
            } catch {
              /* not JSON: keep the text */
            }
            reject(
              new KubeRequestError(
                `GET ${path} → ${res.statusCode}: ${message.slice(0, 300)}`,
                res.statusCode,
              ),
            );
          } else resolve(body);
        });
        res.on('error', reject);
      });
      req.on('timeout', () =>
        req.destroy(new KubeRequestError(`GET ${path}: no answer from ${this.server} within ${timeout} ms`)),
      );
      req.on('error', (err) =>
        reject(
          err instanceof KubeRequestError
            ? err
            : new KubeRequestError(`cannot reach the Kubernetes API at ${this.server}: ${err.message}`),
        ),
      );
      req.end();
    });
  }
}
