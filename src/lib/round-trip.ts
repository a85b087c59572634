/**
 * The fastest of `times` round trips, `gapMs` apart. A health check shares its event loop with the
 * other checks of a run: one timed request would also count the time they spent on the CPU while
 * its answer waited, so the best of a few is the server's latency, not the runner's load.
 */
export async function bestRoundTrip(
  times: number,
  gapMs: number,
  once: () => Promise<unknown>,
): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < times; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, gapMs));
    const started = performance.now();
    await once();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}
