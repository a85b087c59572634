/**
 * Runs items with at most `concurrency` at once, in input order. Once `stopAfter` says so (a
 * required suite failed under fail-fast) nothing new starts; what runs is left to finish.
 * Items that never started come back as undefined.
 */
export async function runPool<T, R>(
  items: readonly T[],
  concurrency: number,
  run: (item: T, index: number) => Promise<R>,
  stopAfter: (result: R, item: T) => boolean = () => false,
): Promise<(R | undefined)[]> {
  const results: (R | undefined)[] = new Array<R | undefined>(items.length).fill(undefined);
  let next = 0;
  let stopped = false;
  const worker = async (): Promise<void> => {
    while (!stopped && next < items.length) {
      const index = next++;
      const item = items[index]!;
      const result = await run(item, index);
      results[index] = result;
      if (stopAfter(result, item)) stopped = true;
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, () => worker());
  await Promise.all(workers);
  return results;
}

/**
 * The shortest possible finish time of jobs with these durations on `workers` workers, found by
 * trying every assignment (small inputs only: the benchmark compares the real run with it).
 */
export function idealMakespan(durations: readonly number[], workers: number): number {
  if (durations.length === 0) return 0;
  if (durations.length > 12) throw new Error('idealMakespan: at most 12 jobs');
  const loads = new Array<number>(Math.max(1, workers)).fill(0);
  let best = Number.POSITIVE_INFINITY;
  const sorted = [...durations].sort((a, b) => b - a);
  const place = (i: number): void => {
    if (i === sorted.length) {
      best = Math.min(best, Math.max(...loads));
      return;
    }
    const tried = new Set<number>();
    for (let w = 0; w < loads.length; w++) {
      if (tried.has(loads[w]!)) continue;
      tried.add(loads[w]!);
      loads[w]! += sorted[i]!;
      if (loads[w]! < best) place(i + 1);
      loads[w]! -= sorted[i]!;
    }
  };
  place(0);
  return best;
}
