/** Labels that tell the drawn series apart, and those every one of them shares. */
export interface LegendLabels {
  /** Label names whose values differ between the series (a label missing from some counts), sorted. */
  differing: string[];
  /** Labels with one value on every series: said once under the chart instead of on every line. */
  common: Record<string, string>;
}

export function legendLabels(metrics: readonly Record<string, string>[]): LegendLabels {
  const names = [...new Set(metrics.flatMap((m) => Object.keys(m)))].sort();
  const differing: string[] = [];
  const common: Record<string, string> = {};
  for (const n of names) {
    const first = metrics[0]![n];
    if (metrics.length > 1 && metrics.some((m) => m[n] !== first)) differing.push(n);
    else if (first !== undefined) common[n] = first;
  }
  return { differing, common };
}

/**
 * A legend entry from only the differing labels: `name{a="1"}` when the metric name differs,
 * `{a="1"}` otherwise. A differing label this series lacks is left out (Prometheus treats a missing
 * label as empty, and a row of `x=""` says nothing). With nothing to show, the metric name or the
 * query's name.
 */
export function legendEntry(
  metric: Record<string, string>,
  differing: readonly string[],
  fallback: string,
): string {
  const showName = differing.includes('__name__');
  const labels = differing.filter((n) => n !== '__name__' && metric[n]).map((n) => `${n}="${metric[n]}"`);
  const name = showName ? (metric.__name__ ?? '') : '';
  if (labels.length === 0) return name || metric.__name__ || fallback;
  return `${name}{${labels.join(', ')}}`;
}

/** `a="1", b="2"` for the caption. */
export function formatLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => (k === '__name__' ? v : `${k}="${v}"`))
    .join(', ');
}
