import type { ReportResult } from './report.js';
import {
  clusterOf,
  failuresOf,
  itemKey,
  kafkaOutageOf,
  summarizeHelm,
  summarizeKafka,
  summarizeSmoke,
} from './results.js';

/**
 * The things of a day that can fail on their own and get a follow-up issue each: the deploy, a
 * smoke suite, a topic, a consumer group, and the Kafka outage (an incident, not one topic's fault).
 * Read from the steps' results; pure.
 */
export type ItemKind = 'deploy' | 'suite' | 'topic' | 'consumer group' | 'incident';

export interface DayItem {
  /** Stable across days: what the issue's hidden marker names (`suite:policy`, `topic:policy.decisions`). */
  key: string;
  kind: ItemKind;
  name: string;
  /** The Kafka cluster a topic, group or outage is on, when the day checked several. */
  cluster?: string;
  failed: boolean;
  /** The squads it involves: its labels (more than one: `cross-squad`). */
  squads: string[];
  /** Names looked up in `assignees` (squads, and owners such as `@gov-core`). */
  owners: string[];
  /** What went wrong, one line each (empty when it passed). */
  failure: string[];
  runbooks: string[];
  traceIds: string[];
}

/**
 * Every item the day's results say something about, failed or passed. An item a result does not
 * mention (a step that did not run) is absent: its issue is left as it is. A result its job overruled
 * (the file said success, the job failed) says nothing trustworthy about its passing items, so only
 * its failures count.
 */
export function dayItems(results: readonly ReportResult[], incidentRunbooks: readonly string[]): DayItem[] {
  const items: DayItem[] = [];
  for (const r of results) {
    const env = r.envelope;
    if (env.action === 'smoke-suite') {
      const { suites, failures } = summarizeSmoke(env.result);
      for (const s of suites) {
        const failed = s.status === 'failed' || s.status === 'not-run';
        if (!failed && r.overruled) continue;
        const squads = s.squad === 'unassigned' ? [] : [s.squad];
        const tests = failures.filter((f) => f.suite === s.name);
        items.push({
          key: itemKey.suite(s.name),
          kind: 'suite',
          name: s.name,
          failed,
          squads,
          owners: unique([...squads, ...(s.owner ? [s.owner] : [])]),
          failure: failed
            ? [
                `${s.status}${s.reason ? `: ${s.reason}` : ''}${s.required ? '' : ' (optional suite)'}`,
                ...tests
                  .slice(0, 10)
                  .map(
                    (t) =>
                      `\`${t.test}\`${t.message ? `: ${oneLine(t.message)}` : ''}${t.location ? ` (\`${t.location}\`)` : ''}`,
                  ),
                ...(tests.length > 10 ? [`… and ${tests.length - 10} more failing test(s)`] : []),
              ]
            : [],
          runbooks: s.runbook ? [s.runbook] : [],
          traceIds: [],
        });
      }
    } else if (env.action === 'kafka-topic-check') {
      const outage = kafkaOutageOf(env.result);
      const cluster = clusterOf(env.result);
      const on = cluster ? { cluster } : {};
      if (outage || !r.overruled) {
        items.push({
          key: itemKey.kafkaOutage(cluster),
          kind: 'incident',
          name: 'Kafka unreachable',
          ...on,
          failed: outage !== undefined,
          squads: [],
          owners: [],
          failure: outage
            ? [
                `kafka-topic-check could not reach the brokers (${outage.brokers.join(', ') || 'unknown'}): ${oneLine(outage.message)}`,
                'No topic or consumer group could be checked: this is an outage, not a quiet topic.',
              ]
            : [],
          runbooks: [...incidentRunbooks],
          traceIds: [],
        });
      }
      if (outage) continue;
      const failOnWarning = (env.result as { failOn?: unknown } | null)?.failOn === 'warning';
      const fails = (level: string) => level === 'error' || (failOnWarning && level === 'warning');
      const { topics, groups } = summarizeKafka(env.result);
      for (const t of topics) {
        const failed = fails(t.status);
        if (!failed && r.overruled) continue;
        const squads = t.owner ? [t.owner] : [];
        items.push({
          key: itemKey.topic(t.name, cluster),
          kind: 'topic',
          name: t.name,
          ...on,
          failed,
          squads,
          owners: squads,
          failure: failed ? (t.findings.length ? t.findings : [t.status]).map(oneLine) : [],
          runbooks: t.runbook ? [t.runbook] : [],
          traceIds: failed ? t.traceIds.slice(0, 5) : [],
        });
      }
      for (const g of groups) {
        const failed = fails(g.level);
        if (!failed && r.overruled) continue;
        const squads = g.owner ? [g.owner] : [];
        items.push({
          key: itemKey.group(g.name, cluster),
          kind: 'consumer group',
          name: g.name,
          ...on,
          failed,
          squads,
          owners: squads,
          failure: failed ? [g.status, ...g.findings].map(oneLine) : [],
          runbooks: g.runbook ? [g.runbook] : [],
          traceIds: [],
        });
      }
    } else if (env.action === 'helm-deploy') {
      const failed = env.status !== 'success';
      if (!failed && r.overruled) continue;
      const h = summarizeHelm(env.result);
      const key = itemKey.deploy(h);
      items.push({
        key,
        kind: 'deploy',
        name: key.slice('deploy:'.length),
        failed,
        squads: [],
        owners: [],
        failure: failed
          ? [
              ...(r.note ? [oneLine(r.note)] : []),
              ...failuresOf(env).map((f) => oneLine(f.detail)),
              ...(h.status ? [`release status: ${h.status}`] : []),
              ...(h.rolledBack
                ? [
                    `rolled back${h.previousRevision !== undefined ? ` to revision ${h.previousRevision}` : ''}`,
                  ]
                : []),
            ]
          : [],
        runbooks: [],
        traceIds: [],
      });
    }
  }
  // A failed deploy leaves every squad without staging: it involves (and is owned by) all of the day's squads.
  const everySquad = unique(items.flatMap((i) => i.squads)).sort();
  for (const i of items) {
    if (i.kind !== 'deploy') continue;
    i.squads = everySquad;
    i.owners = everySquad;
  }
  return items;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function oneLine(s: string): string {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}
