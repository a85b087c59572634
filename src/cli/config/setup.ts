import type { JsonSchema } from '../../lib/schema.js';

/** A command a job runs before its action (installing what the suites or the job's tools need). */
export interface SetupStep {
  name?: string;
  run: string;
  workingDirectory?: string;
}

/**
 * The jobs of the reusable workflows that run `setup` commands, by their job ids: Integration Day's
 * deploy, smoke, kafka, evidence and rollback, record-contracts' record and design-drift's drift.
 */
export const SETUP_JOBS = ['deploy', 'smoke', 'kafka', 'evidence', 'rollback', 'record', 'drift'] as const;
export type SetupJob = (typeof SETUP_JOBS)[number];

export const SETUP_STEP_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['run'],
  properties: {
    name: { type: 'string', description: 'What the command does, shown in the log.' },
    run: { type: 'string', minLength: 1, description: 'A bash command line.' },
    'working-directory': {
      type: 'string',
      description: 'Folder to run it in, relative to the repository root.',
    },
  },
};

const STEPS: JsonSchema = { type: 'array', items: SETUP_STEP_SCHEMA };

/** `setup:` as a mapping of job → commands. */
export const SETUP_BY_JOB_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(
    SETUP_JOBS.map((job) => [job, { ...STEPS, description: `Commands the ${job} job runs first.` }]),
  ),
};

/** `setup:` as a list (the smoke job's commands, as before jobs could have their own). */
export const SETUP_LIST_SCHEMA: JsonSchema = STEPS;

/** The schema editors see: either form. */
export const SETUP_SCHEMA: JsonSchema = {
  description:
    "Commands a job runs before its action, in order, e.g. installing the suites' dependencies. A list is run by the smoke job; a mapping gives each job its own list: deploy, smoke, kafka, evidence, rollback (integration-day.yml), record (record-contracts.yml), drift (design-drift.yml).",
  anyOf: [SETUP_LIST_SCHEMA, SETUP_BY_JOB_SCHEMA],
};

/** The schema that checks the value as written: a list or a mapping, each with its own precise messages. */
export function setupSchemaFor(value: unknown): JsonSchema | undefined {
  if (Array.isArray(value)) return SETUP_LIST_SCHEMA;
  if (value !== null && typeof value === 'object') return SETUP_BY_JOB_SCHEMA;
  return undefined;
}

type RawStep = { name?: string; run: string; 'working-directory'?: string };

function steps(raw: unknown): SetupStep[] {
  if (!Array.isArray(raw)) return [];
  return (raw as RawStep[]).map((s) => ({
    ...(s.name ? { name: s.name } : {}),
    run: s.run,
    ...(s['working-directory'] ? { workingDirectory: s['working-directory'] } : {}),
  }));
}

/**
 * Every job's commands (checked before): a list belongs to the smoke job, a mapping names each job.
 * Every job has an entry, empty when it runs none.
 */
export function setupByJob(raw: unknown): Record<SetupJob, SetupStep[]> {
  const byJob = Object.fromEntries(SETUP_JOBS.map((j) => [j, [] as SetupStep[]])) as Record<
    SetupJob,
    SetupStep[]
  >;
  if (Array.isArray(raw)) byJob.smoke = steps(raw);
  else if (raw !== null && typeof raw === 'object')
    for (const job of SETUP_JOBS) byJob[job] = steps((raw as Record<string, unknown>)[job]);
  return byJob;
}

/** Each command with where it is in the file (`setup[0]`, `setup.deploy[1]`), for the run-time checks. */
export function setupEntries(raw: unknown): { pointer: string[]; step: Record<string, unknown> }[] {
  const of = (list: unknown, prefix: string[]) =>
    Array.isArray(list)
      ? list.flatMap((s, i) =>
          s !== null && typeof s === 'object' && !Array.isArray(s)
            ? [{ pointer: [...prefix, String(i)], step: s as Record<string, unknown> }]
            : [],
        )
      : [];
  if (Array.isArray(raw)) return of(raw, ['setup']);
  if (raw === null || typeof raw !== 'object') return [];
  return SETUP_JOBS.flatMap((job) => of((raw as Record<string, unknown>)[job], ['setup', job]));
}
