import type { Contract } from '../../lib/contracts/diff.js';

export interface Pairing {
  declared: Contract;
  recorded: Contract | undefined;
  matchedBy: 'title' | 'file name' | 'none';
}

const norm = (s: string | undefined) => s?.trim().toLowerCase();

/** How many trailing path segments two names share (`a/policy/openapi.json` and `policy/openapi.json`: 2). */
function sharedTail(a: string, b: string): number {
  const x = a.split(/[\\/]/);
  const y = b.split(/[\\/]/);
  let n = 0;
  while (n < x.length && n < y.length && x[x.length - 1 - n] === y[y.length - 1 - n]) n++;
  return n;
}

/** The candidate sharing the longest path tail with `name`; undefined when none shares the file name or the best is tied. */
function byPath(name: string, candidates: readonly Contract[]): Contract | undefined {
  let best: Contract | undefined;
  let bestScore = 0;
  let tied = false;
  for (const c of candidates) {
    const s = sharedTail(name, c.set.entry.name);
    if (s > bestScore) {
      best = c;
      bestScore = s;
      tied = false;
    } else if (s === bestScore && s > 0) tied = true;
  }
  return tied ? undefined : best;
}

/**
 * Pairs each declared contract with the recorded one it describes: first by identity (OpenAPI and
 * AsyncAPI `info.title`, JSON Schema `title` or `$id`) within the same kind, then by file path (the
 * longest shared tail: `policy-engine/openapi.json`). A title shared by several recordings is settled
 * by the path, then by path order, so the choice is stable.
 */
export function pairContracts(declared: readonly Contract[], recorded: readonly Contract[]): Pairing[] {
  return declared.map((d) => {
    const sameKind = recorded.filter((r) => r.info.kind === d.info.kind);
    const byTitle = d.info.title ? sameKind.filter((r) => norm(r.info.title) === norm(d.info.title)) : [];
    if (byTitle.length > 0)
      return {
        declared: d,
        recorded: byPath(d.set.entry.name, byTitle) ?? byTitle[0],
        matchedBy: 'title' as const,
      };
    const hit = byPath(d.set.entry.name, sameKind);
    if (hit) return { declared: d, recorded: hit, matchedBy: 'file name' as const };
    return { declared: d, recorded: undefined, matchedBy: 'none' as const };
  });
}
