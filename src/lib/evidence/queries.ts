// The PromQL queries a team's panels are made of, as evidence-archive and daily-wrap take them: the
// schema of the `queries` input, and a default panel's settings filled in for a query that names one.
import { ConfigurationError } from '../errors.js';
import { DURATION_PATTERN } from '../schemas/patterns.js';
import type { JsonSchema } from '../schema.js';
import { DEFAULT_QUERIES } from './metrics.js';
import type { PanelSeverity, ThresholdSpec } from './panel-limits.js';

export interface MetricQuery {
  name: string;
  /** Optional for a default panel's name: its query, panel, squad and unit are taken. */
  query?: string;
  range?: string;
  step?: string;
  unit?: string;
  squad?: string;
  panel?: string;
  owner?: string;
  threshold?: ThresholdSpec;
  'regression-limit'?: number;
  severity?: PanelSeverity;
  better?: 'lower' | 'higher';
  /** Chart options (see chart-rules/summary.ts); defaults: 8, peak, auto, auto, [0.5, 0.95, 0.99]. */
  'max-series'?: number;
  select?: 'peak' | 'last';
  scale?: 'auto' | 'linear' | 'log';
  'as-rate'?: 'auto' | boolean;
  quantiles?: number[];
}

/** One colour per line: more than the palette's ten cannot be told apart. */
export const MAX_CHART_SERIES = 10;

/** A query's or a dashboard's name: it names files of the evidence folder. */
export const NAME = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$' };

export const queriesSchema: JsonSchema = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: NAME,
      query: { type: 'string', minLength: 1 },
      range: { type: 'string', pattern: DURATION_PATTERN },
      step: { type: 'string', pattern: DURATION_PATTERN },
      unit: { type: 'string' },
      squad: { type: 'string' },
      panel: { type: 'string' },
      owner: { type: 'string', minLength: 1 },
      threshold: {
        type: 'object',
        additionalProperties: false,
        anyOf: [{ required: ['max'] }, { required: ['min'] }],
        properties: {
          max: { type: 'number' },
          min: { type: 'number' },
          unit: { type: 'string', minLength: 1 },
        },
      },
      'regression-limit': { type: 'number', exclusiveMinimum: 0 },
      severity: { type: 'string', enum: ['warning', 'failure'] },
      better: { type: 'string', enum: ['lower', 'higher'] },
      // The chart rules: each one is stated under the chart it shaped.
      'max-series': { type: 'integer', minimum: 1, maximum: MAX_CHART_SERIES },
      select: { enum: ['peak', 'last'] },
      scale: { enum: ['auto', 'linear', 'log'] },
      'as-rate': { enum: ['auto', true, false] },
      quantiles: {
        type: 'array',
        items: { type: 'number', minimum: 0, maximum: 1 },
        maxItems: 6,
        uniqueItems: true,
      },
    },
  },
};

/**
 * A query as written, with a default panel's query, panel, squad, unit and direction filled in when
 * it names one and leaves out `query`; any other query must give its PromQL.
 */
export function withDefaultPanel(q: MetricQuery, i: number): MetricQuery & { query: string } {
  if (q.query) return { ...q, query: q.query };
  const d = DEFAULT_QUERIES.find((x) => x.name === q.name);
  if (!d)
    throw new ConfigurationError(
      `input 'queries' is invalid: at /${i} '${q.name}' has no query; only a default panel's name may leave it out (${DEFAULT_QUERIES.map((x) => x.name).join(', ')})`,
    );
  return {
    ...q,
    query: d.query,
    ...(q.panel === undefined && d.panel ? { panel: d.panel } : {}),
    ...(q.squad === undefined && d.squad ? { squad: d.squad } : {}),
    ...(q.unit === undefined && d.unit !== undefined ? { unit: d.unit } : {}),
    ...(q.better === undefined && d.better ? { better: d.better } : {}),
  };
}
