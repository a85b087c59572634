import { formatDuration } from './duration.js';

/** A piece of work did not finish by its deadline; what it held open was told to close. */
export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
  constructor(
    message: string,
    /** `own`: the work's own timeout; `overall`: the deadline of everything it is part of. */
    readonly which: 'own' | 'overall',
  ) {
    super(message);
  }
}

/**
 * Runs `work` with a signal that aborts after `ms` or when `overall` aborts, whichever comes first,
 * and settles at that moment even if the work ignores its signal: a hung server can delay nothing
 * past the deadline. The work must close what it opened when its signal aborts (in a finally).
 */
export async function withDeadline<T>(
  ms: number,
  overall: AbortSignal,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const own = AbortSignal.timeout(ms);
  const signal = AbortSignal.any([overall, own]);
  let onAbort: (() => void) | undefined;
  const expired = new Promise<never>((_, reject) => {
    onAbort = () =>
      reject(
        overall.aborted && !own.aborted
          ? new DeadlineError('the overall deadline passed first', 'overall')
          : new DeadlineError(`no answer within ${formatDuration(ms)}`, 'own'),
      );
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  // The work's own rejection after the deadline is expected (its sockets were closed): never unhandled.
  const running = work(signal);
  running.catch(() => {});
  try {
    return await Promise.race([running, expired]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
