/** A series of a range query: its labels and [unix seconds, value] samples (values as Prometheus sends them). */
export interface RangeSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

export interface RangeResult {
  resultType: 'matrix';
  result: RangeSeries[];
  warnings?: string[];
}

export interface InstantSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface PrometheusClientOptions {
  /** Base URL, e.g. http://127.0.0.1:9090 (a path prefix such as /prometheus is kept). */
  url: string;
  /** Extra headers (e.g. Authorization); never logged. */
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** Prometheus answered with an error (bad PromQL, timeout) or not at all. */
export class PrometheusError extends Error {
  override readonly name = 'PrometheusError';
  constructor(
    message: string,
    readonly errorType?: string,
    readonly httpStatus?: number,
  ) {
    super(message);
  }
}

interface ApiResponse<T> {
  status: 'success' | 'error';
  data?: T;
  errorType?: string;
  error?: string;
  warnings?: string[];
}

/** A small client for Prometheus' HTTP API (query and query_range), over the runtime's fetch. */
export class PrometheusClient {
  private readonly base: string;

  constructor(private readonly opts: PrometheusClientOptions) {
    this.base = opts.url.replace(/\/+$/, '');
  }

  /** A range query. `start`/`end` are Dates; `stepSeconds` the resolution. */
  async queryRange(query: string, start: Date, end: Date, stepSeconds: number): Promise<RangeResult> {
    const data = await this.call<RangeResult>('/api/v1/query_range', {
      query,
      start: (start.getTime() / 1000).toFixed(3),
      end: (end.getTime() / 1000).toFixed(3),
      step: String(stepSeconds),
    });
    if (data.data.resultType !== 'matrix')
      throw new PrometheusError(`query_range returned a ${String(data.data.resultType)}, expected a matrix`);
    return {
      resultType: 'matrix',
      result: data.data.result,
      ...(data.warnings?.length ? { warnings: data.warnings } : {}),
    };
  }

  async query(query: string, time?: Date): Promise<InstantSample[]> {
    const params: Record<string, string> = { query };
    if (time) params.time = (time.getTime() / 1000).toFixed(3);
    const data = await this.call<{ resultType: string; result: InstantSample[] }>('/api/v1/query', params);
    if (data.data.resultType !== 'vector')
      throw new PrometheusError(`query returned a ${data.data.resultType}, expected a vector`);
    return data.data.result;
  }

  private async call<T>(
    path: string,
    params: Record<string, string>,
  ): Promise<{ data: T; warnings?: string[] }> {
    const url = `${this.base}${path}`;
    let res: Response;
    try {
      // POST with a form body: long PromQL does not hit URL length limits.
      res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          ...this.opts.headers,
        },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const why =
        err instanceof Error && err.name === 'TimeoutError'
          ? `no answer within ${this.opts.timeoutMs ?? 30_000} ms`
          : (cause?.code ?? cause?.message ?? String(err));
      throw new PrometheusError(`Prometheus at ${this.base} is unreachable (${why})`);
    }
    const text = await res.text();
    let body: ApiResponse<T> | undefined;
    try {
      body = JSON.parse(text) as ApiResponse<T>;
    } catch {
      throw new PrometheusError(
        `Prometheus at ${this.base} answered HTTP ${res.status} with something that is not its API's JSON: ${text.slice(0, 200)}`,
        undefined,
        res.status,
      );
    }
    if (body.status !== 'success' || body.data === undefined) {
      throw new PrometheusError(
        `Prometheus rejected the query (${body.errorType ?? `HTTP ${res.status}`}): ${body.error ?? 'no error message'}`,
        body.errorType,
        res.status,
      );
    }
    return { data: body.data, ...(body.warnings ? { warnings: body.warnings } : {}) };
  }
}
