import { dateInZone } from '../../lib/dates.js';
import { InputError } from '../../lib/errors.js';
import { DEFAULT_QUERIES } from '../../lib/evidence/metrics.js';
import { withDefaultPanel, type MetricQuery } from '../../lib/evidence/queries.js';
import { statusCommitPlan } from '../../lib/git/branch.js';
import { parseHeader } from '../../lib/inputs/common.js';
import type { InputValues } from '../../lib/inputs/spec.js';
import { ownedPath } from '../../lib/owned-paths.js';
import type { metadata } from './metadata.js';

export type Inputs = InputValues<typeof metadata.inputs>;

export interface WrapPlan {
  date: string;
  timeZone: string;
  status: { file: string; fileRel: string; template: string };
  ref: string;
  contractsDir: string;
  declared: string[];
  maxGapDays: number;
  firstWindowDays: number;
  prometheus?: { url: string; headers: Record<string, string> };
  metricsRangeMs: number;
  /** The panels snapshot: the given queries (a default panel's name filled in) or the defaults. */
  queries: PanelQuery[];
  commit?: { branch: string; message: string; pushAttempts: number };
}

/** A header input `Name: value` as the request headers it adds. */
function header(input: string, raw: string): Record<string, string> {
  const { name, value } = parseHeader(input, raw);
  return { [name]: value };
}

/** A repository folder input: relative, plain, outside .git and .github. */
function folder(input: string, raw: string): string {
  const rel = raw.trim().replace(/\/+$/, '');
  if (
    rel === '' ||
    rel.startsWith('/') ||
    rel.split('/').some((s) => s === '..' || s === '.' || s === '.git')
  )
    throw new InputError(
      input,
      raw,
      'expected a folder path relative to the repository root, without . or .. segments',
    );
  return rel;
}

/** A panel the wrap snapshots: its name, PromQL, and how its figure is labelled. */
export type PanelQuery = Pick<MetricQuery, 'name' | 'unit' | 'squad' | 'panel'> & { query: string };

function panelQueries(given: MetricQuery[] | undefined): PanelQuery[] {
  if (!given)
    return DEFAULT_QUERIES.map(({ name, query, unit, squad, panel }) => ({
      name,
      query,
      unit,
      squad,
      panel,
    }));
  const seen = new Set<string>();
  return given.map((raw, i) => {
    if (seen.has(raw.name))
      throw new InputError(
        'queries',
        raw.name,
        'expected each query name once (a name is a row of the wrap)',
      );
    seen.add(raw.name);
    const { name, query, unit, squad, panel } = withDefaultPanel(raw, i);
    return { name, query, unit, squad, panel };
  });
}

/** The wrap's plan from validated inputs; every cross-field rule is here. Pure but for the clock. */
export function planWrap(
  inputs: Inputs,
  workspace: string,
  env: NodeJS.ProcessEnv,
  now = new Date(),
): WrapPlan {
  const date = inputs.date ?? dateInZone(now, inputs.timezone);
  const template = inputs.statusFile;
  if (!template.includes('{date}'))
    throw new InputError(
      'status-file',
      template,
      'expected a path containing {date} (one status file per day), e.g. docs/sprints/status/{date}.md',
    );
  if (template.indexOf('{date}') !== template.lastIndexOf('{date}'))
    throw new InputError('status-file', template, 'expected {date} once, in the file name');
  const { abs, rel } = ownedPath(workspace, template, date, 'status-file');
  if (!rel.endsWith('.md'))
    throw new InputError('status-file', template, 'expected a Markdown file path ending in .md');
  if (inputs.prometheusAuthHeader && !inputs.prometheusUrl)
    throw new InputError(
      'prometheus-auth-header',
      '***',
      "it is only sent to 'prometheus-url', which is empty",
    );
  let commit: WrapPlan['commit'];
  if (inputs.commit) {
    commit = statusCommitPlan(inputs, date, env);
  }
  return {
    date,
    timeZone: inputs.timezone,
    status: { file: abs, fileRel: rel, template: template.replace(/^\.?\/+/, '') },
    ref: inputs.ref ?? 'HEAD',
    contractsDir: folder('contracts-dir', inputs.contractsDir),
    declared: inputs.declared.map((d) => folder('declared', d)),
    maxGapDays: inputs.maxGapDays,
    firstWindowDays: Math.round(inputs.firstWindow / 86_400_000),
    ...(inputs.prometheusUrl
      ? {
          prometheus: {
            url: inputs.prometheusUrl,
            headers: inputs.prometheusAuthHeader
              ? header('prometheus-auth-header', inputs.prometheusAuthHeader)
              : {},
          },
        }
      : {}),
    metricsRangeMs: inputs.metricsRange,
    queries: panelQueries(inputs.queries),
    ...(commit ? { commit } : {}),
  };
}
