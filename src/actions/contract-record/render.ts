import type { Annotation } from '../../lib/annotations.js';
import type { ReadmeService, ReadmeTopic } from '../../lib/contracts/readme.js';
import type { IndexEntry, IndexService } from '../../lib/contracts/recording.js';
import type { PullRequestOutcome } from '../../lib/git/index.js';
import { table } from '../../lib/markdown.js';

export interface Recorded {
  date: string;
  outRel: string;
  services: ReadmeService[];
  topics: ReadmeTopic[];
  files: IndexEntry[];
  problems: string[];
  commit?: { sha: string; branch: string };
  /** With `commit-mode: pull-request`: the pull request opened or updated. */
  pullRequest?: PullRequestOutcome;
  /** What a person should know about the commit-back that does not fail the step (a refused auto-merge). */
  commitWarnings?: string[];
}

/** The JSON result: what was recorded, where, and what did not conform. Pure. */
export function resultOf(r: Recorded): unknown {
  return {
    date: r.date,
    outputDir: r.outRel,
    commitSha: r.commit?.sha || null,
    pullRequest: r.pullRequest ?? null,
    problems: r.problems,
    services: r.services.map((s) => ({
      name: s.name,
      url: s.url,
      squad: s.squad ?? null,
      runbook: s.runbook ?? null,
      har: s.har ?? null,
      documents: s.documents.map((d) => ({ kind: d.kind, path: d.path })),
      samples: s.samples,
      signatures: s.signatures,
    })),
    topics: r.topics.map((t) => ({
      topic: t.topic,
      sampled: t.sampled,
      partitions: t.partitions,
      newest: t.newest ?? null,
      conformance: t.conformance,
      schema: t.schemaPath,
      messages: t.messagesPath,
    })),
    files: r.files,
  };
}

export function renderSummary(r: Recorded): string {
  const committed = r.commit?.sha
    ? `, committed as \`${r.commit.sha.slice(0, 12)}\` on \`${r.commit.branch}\``
    : '';
  const pr = r.pullRequest;
  const pullRequest = pr
    ? [
        '',
        `Pull request [#${pr.number}](${pr.url}) ${pr.action} from \`${pr.head}\` into \`${pr.base}\`${pr.merged ? ', and merged' : ''}.` +
          (pr.mergeRefused ? ` Auto-merge was refused (${pr.mergeRefused}); it stays open.` : ''),
      ]
    : [];
  const bundles = (s: ReadmeService) =>
    s.signatures
      .map(
        (x) =>
          `${x.name}: ${x.check.verified ? 'verified' : `NOT verified (${x.check.problems.join('; ')})`}`,
      )
      .join('<br>');
  const services = table(
    ['service', 'runbook', 'documents', 'samples', 'signed bundles'],
    r.services.map((s) => [
      s.name,
      s.runbook ?? '',
      s.documents.map((d) => d.kind).join(', '),
      s.samples.map((x) => `${x.name} → ${x.status}`).join('<br>'),
      bundles(s),
    ]),
  );
  const topics = table(
    ['topic', 'sampled', 'conform to AsyncAPI'],
    r.topics.map((t) => [
      t.topic,
      t.sampled,
      t.conformance.against ? `${t.conformance.conforming}/${t.sampled}` : 'no channel',
    ]),
  );
  return [
    `## Contracts recorded: ${r.outRel}`,
    '',
    `${r.services.length} service(s), ${r.topics.length} topic(s), ${r.files.length + 1} file(s)${committed}.`,
    ...pullRequest,
    '',
    services,
    ...(r.topics.length ? ['', topics] : []),
    ...(r.problems.length ? ['', '### Problems', '', ...r.problems.map((p) => `- ${p}`)] : []),
  ].join('\n');
}

export function buildAnnotations(r: Recorded): Annotation[] {
  return [
    ...(r.commitWarnings ?? []).map((w) => ({
      level: 'warning' as const,
      message: w,
      title: 'contract-record: pull request',
      rank: -1,
    })),
    ...r.problems.map((p, i) => ({ level: 'error' as const, message: p, title: 'contract-record', rank: i })),
  ];
}

/** A service as index.json records it: its runbook beside its captured policy headers and verified bundles. Pure. */
export function indexService(s: ReadmeService): IndexService {
  return {
    name: s.name,
    ...(s.squad ? { squad: s.squad } : {}),
    ...(s.runbook ? { runbook: s.runbook } : {}),
    har: s.har ?? '',
    headers: s.samples.map((x) => ({ sample: x.name, path: x.path, status: x.status, captured: x.captured })),
    bundles: s.signatures.map((x) => ({
      name: x.name,
      path: x.path,
      verified: x.check.verified,
      ...(x.check.keyId ? { keyId: x.check.keyId } : {}),
    })),
  };
}
