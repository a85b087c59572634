/** The server did not answer, or not with its API's JSON: nothing can be said about what it holds. */
export class UnreachableError extends Error {
  override readonly name = 'UnreachableError';
}

export interface HttpSource {
  /** Base URL (a path prefix such as /alertmanager is kept). */
  url: string;
  /** Extra header (e.g. Authorization); never logged. */
  header?: { name: string; value: string };
}

/** GET `path` under `source.url` and parse JSON; any failure is an UnreachableError naming the server. */
export async function getJson<T>(
  source: HttpSource,
  path: string,
  signal: AbortSignal,
  what: string,
): Promise<T> {
  const base = source.url.replace(/\/+$/, '');
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, {
      headers: {
        accept: 'application/json',
        ...(source.header ? { [source.header.name]: source.header.value } : {}),
      },
      signal,
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why =
      signal.aborted || (err as Error).name === 'AbortError' || (err as Error).name === 'TimeoutError'
        ? 'no answer in time'
        : (cause?.code ?? cause?.message ?? (err as Error).message);
    throw new UnreachableError(`${what} at ${base} is unreachable (${why})`);
  }
  const text = await res.text().catch(() => '');
  if (!res.ok)
    throw new UnreachableError(
      `${what} at ${base} answered HTTP ${res.status} to ${path}: ${text.slice(0, 200)}`,
    );
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new UnreachableError(
      `${what} at ${base} answered ${path} with something that is not JSON: ${text.slice(0, 200)}`,
    );
  }
}
