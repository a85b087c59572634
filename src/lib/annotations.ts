export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  level: AnnotationLevel;
  message: string;
  title?: string;
  file?: string;
  line?: number;
  endLine?: number;
  /** Lower ranks are more useful and shown first (e.g. required suites before optional ones). */
  rank?: number;
}

/** GitHub shows at most 10 annotations of each type per step; the rest are silently dropped. */
export const ANNOTATIONS_SHOWN_PER_LEVEL = 10;

export interface AnnotationSelection {
  shown: Annotation[];
  omitted: Record<AnnotationLevel, number>;
}

/** Keeps the most useful annotations of each level within the cap, in rank order (stable). */
export function selectAnnotations(
  all: readonly Annotation[],
  maxPerLevel = ANNOTATIONS_SHOWN_PER_LEVEL,
): AnnotationSelection {
  const ordered = all
    .map((a, i) => ({ a, i }))
    .sort((x, y) => (x.a.rank ?? 0) - (y.a.rank ?? 0) || x.i - y.i);
  const counts: Record<AnnotationLevel, number> = { error: 0, warning: 0, notice: 0 };
  const omitted: Record<AnnotationLevel, number> = { error: 0, warning: 0, notice: 0 };
  const shown: Annotation[] = [];
  for (const { a } of ordered) {
    if (counts[a.level] < maxPerLevel) {
      counts[a.level]++;
      shown.push(a);
    } else {
      omitted[a.level]++;
    }
  }
  return { shown, omitted };
}
