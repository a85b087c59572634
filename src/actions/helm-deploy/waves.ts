/**
 * Release sets: which release may start when. Pure apart from the `run` callback it is given, so the
 * order, the limit and the skipping are tested without a cluster.
 */

export interface Needs {
  name: string;
  needs: readonly string[];
}

/** How one release of the set ended, as the scheduler saw it. */
export type RunStatus = 'succeeded' | 'failed' | 'skipped';

export interface Scheduled {
  name: string;
  status: RunStatus;
  /** Its dependency level: 1 for a release that needs nothing, else one more than the deepest need. */
  wave: number;
  /** For a skipped release: the needs that failed or were skipped themselves. */
  blockedBy?: string[];
  /** When it started and ended (ms since epoch); absent for a skipped release. */
  startedAt?: number;
  endedAt?: number;
}

/**
 * The problems of a set's `needs`, in words a user can act on: duplicate names, a need that names no
 * release of the set, a release that needs itself, and cycles. Empty when the set can run.
 */
export function needsProblems(items: readonly Needs[]): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const i of items) {
    if (names.has(i.name)) problems.push(`release name ${JSON.stringify(i.name)} is used more than once`);
    names.add(i.name);
  }
  for (const i of items)
    for (const n of i.needs) {
      if (n === i.name) problems.push(`release ${JSON.stringify(i.name)} needs itself`);
      else if (!names.has(n))
        problems.push(
          `release ${JSON.stringify(i.name)} needs ${JSON.stringify(n)}, which is not a release of the set (the set has: ${[...names].join(', ')})`,
        );
    }
  if (problems.length) return problems;
  const cycle = findCycle(items);
  if (cycle) problems.push(`the needs form a cycle: ${cycle.join(' → ')}`);
  return problems;
}

/** One cycle of the graph as a path that ends where it starts, or undefined. */
export function findCycle(items: readonly Needs[]): string[] | undefined {
  const byName = new Map(items.map((i) => [i.name, i]));
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'open') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'open');
    path.push(name);
    for (const n of byName.get(name)?.needs ?? []) {
      const found = byName.has(n) ? visit(n) : undefined;
      if (found) return found;
    }
    path.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const i of items) {
    const found = visit(i.name);
    if (found) return found;
  }
  return undefined;
}

/** Each release's dependency level (1 = needs nothing). The set must be free of cycles. */
export function wavesOf(items: readonly Needs[]): Map<string, number> {
  const byName = new Map(items.map((i) => [i.name, i]));
  const waves = new Map<string, number>();
  const level = (name: string): number => {
    const known = waves.get(name);
    if (known !== undefined) return known;
    const needs = byName.get(name)?.needs ?? [];
    const w = 1 + Math.max(0, ...needs.map(level));
    waves.set(name, w);
    return w;
  };
  for (const i of items) level(i.name);
  return waves;
}

/**
 * Runs every release as soon as all it needs has succeeded, at most `maxParallel` at a time, in the
 * order given among those ready. A release whose need failed (or was skipped) is skipped, and so are
 * its own dependents; releases that do not depend on the failure go on. `run` resolves true for
 * success; a rejection counts as a failure (the caller records why).
 */
export async function runByNeeds(
  items: readonly Needs[],
  maxParallel: number,
  run: (name: string) => Promise<boolean>,
  now: () => number = Date.now,
): Promise<Scheduled[]> {
  if (maxParallel < 1) throw new Error(`maxParallel must be at least 1, got ${maxParallel}`);
  const problems = needsProblems(items);
  if (problems.length) throw new Error(problems.join('; '));
  const waves = wavesOf(items);
  const out = new Map<string, Scheduled>();
  const running = new Map<string, Promise<void>>();
  const pending = [...items];

  const settleSkips = () => {
    // Skips cascade: a release blocked by a skipped one is itself skipped.
    for (let changed = true; changed;) {
      changed = false;
      for (const i of [...pending]) {
        const blockedBy = i.needs.filter((n) => {
          const s = out.get(n)?.status;
          return s === 'failed' || s === 'skipped';
        });
        if (!blockedBy.length) continue;
        pending.splice(pending.indexOf(i), 1);
        out.set(i.name, { name: i.name, status: 'skipped', wave: waves.get(i.name)!, blockedBy });
        changed = true;
      }
    }
  };
  const startReady = () => {
    for (const i of [...pending]) {
      if (running.size >= maxParallel) return;
      if (!i.needs.every((n) => out.get(n)?.status === 'succeeded')) continue;
      pending.splice(pending.indexOf(i), 1);
      const startedAt = now();
      const done = Promise.resolve()
        .then(() => run(i.name))
        .then(
          (ok) => ok,
          () => false,
        )
        .then((ok) => {
          out.set(i.name, {
            name: i.name,
            status: ok ? 'succeeded' : 'failed',
            wave: waves.get(i.name)!,
            startedAt,
            endedAt: now(),
          });
          running.delete(i.name);
        });
      running.set(i.name, done);
    }
  };

  startReady();
  while (running.size) {
    await Promise.race(running.values());
    settleSkips();
    startReady();
  }
  // Nothing runs and something is left: only skips can be left (the graph has no cycles).
  settleSkips();
  return items.map((i) => out.get(i.name)!);
}
