import { linkTarget, linkText, table } from '../markdown.js';
import type { Manifest, ManifestEntry } from './manifest.js';
import { formatBytes } from './sizes.js';

export interface IndexInput {
  manifest: Manifest;
  /** The status report, relative to the evidence folder. */
  statusReportLink: string;
  artifact?: { name: string; url?: string };
  /** Titles for metric and dashboard files, by evidence path. */
  titles: Record<string, string>;
}

const SECTIONS: { kind: ManifestEntry['kind'][]; title: string }[] = [
  { kind: ['result'], title: 'Step results' },
  { kind: ['chart', 'metric'], title: 'Metric snapshots' },
  { kind: ['screenshot'], title: 'Dashboard screenshots' },
  { kind: ['file'], title: 'Other collected files' },
];

/** The evidence folder's README: what is here, where it came from, and how to check it. Pure. */
export function renderEvidenceIndex(input: IndexInput): string {
  const m = input.manifest;
  const out: string[] = [];
  out.push(`# Evidence for Integration Day ${m.date}`, '');
  out.push(
    `Captured ${m.createdAt}${m.run.url ? ` by [run ${m.run.runId}${m.run.runAttempt ? `, attempt ${m.run.runAttempt}` : ''}](${m.run.url})` : ''}. The day's summary: [status report](${encodeURI(input.statusReportLink)}).`,
    '',
  );
  const art = input.artifact
    ? input.artifact.url
      ? `[\`${input.artifact.name}\`](${input.artifact.url})`
      : `\`${input.artifact.name}\``
    : undefined;
  const limits = `the size limits (${formatBytes(m.limits.maxFileSize)} per file, ${formatBytes(m.limits.maxTotalSize)} in all)`;
  const t = m.totals;
  const notKept = t.notKeptFiles ?? 0;
  out.push(
    [
      `${t.files} file(s), ${formatBytes(t.bytes)}. ${t.repositoryFiles} are committed here`,
      t.artifactOnlyFiles
        ? `; ${t.artifactOnlyFiles} (${formatBytes(t.artifactOnlyBytes)}) exceed ${limits} and are only in the workflow artifact${art ? ` ${art}` : ''}`
        : '',
      notKept
        ? `; ${notKept} (${formatBytes(t.notKeptBytes ?? 0)}) exceed ${limits} and were not kept (no artifact): only their hashes are here`
        : '',
      art && !t.artifactOnlyFiles ? `; everything is also in the workflow artifact ${art}` : '',
      '.',
    ].join(''),
    '',
  );

  const charts = m.files.filter((f) => f.kind === 'chart' && f.stored === 'repository');
  if (charts.length) {
    out.push('## Charts', '');
    for (const c of charts)
      out.push(
        `### ${input.titles[c.path] ?? c.path}`,
        '',
        `![${linkText(input.titles[c.path] ?? c.path)}](${linkTarget(c.path)})`,
        '',
      );
  }
  const shots = m.files.filter((f) => f.kind === 'screenshot' && f.stored === 'repository');
  if (shots.length) {
    out.push('## Dashboards', '');
    for (const s of shots)
      out.push(
        `### ${input.titles[s.path] ?? s.path}`,
        '',
        `![${linkText(input.titles[s.path] ?? s.path)}](${linkTarget(s.path)})`,
        '',
      );
  }

  out.push('## Files', '');
  for (const section of SECTIONS) {
    const files = m.files.filter((f) => section.kind.includes(f.kind));
    if (files.length === 0) continue;
    out.push(`### ${section.title}`, '');
    out.push(
      table(
        ['file', 'size', 'SHA-256', 'source', 'captured'],
        files.map((f) => [
          f.stored === 'repository'
            ? `[${linkText(f.path)}](${linkTarget(f.path)})`
            : `${linkText(f.path)} (${f.stored === 'artifact' ? 'artifact only' : 'not kept: too large, and no artifact'})`,
          formatBytes(f.size),
          `\`${f.sha256.slice(0, 16)}…\``,
          linkText(f.source) + (f.redactions ? ` (${f.redactions} secret value(s) redacted)` : ''),
          f.capturedAt,
        ]),
      ),
      '',
    );
  }

  out.push('## Checking the evidence', '');
  out.push(
    '`manifest.json` lists every file with its full SHA-256, size, source, capture time and run. To re-check the committed files:',
    '',
  );
  out.push(
    '```sh',
    `jq -r '.files[] | select(.stored == "repository") | "\\(.sha256)  \\(.path)"' manifest.json | sha256sum -c -`,
    '```',
    '',
  );
  out.push('Inside the downloaded artifact, drop the `select(...)` to check every file.', '');
  return `${out.join('\n').trimEnd()}\n`;
}
