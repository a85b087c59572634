import { ConfigurationError, InputError, quote } from '../../lib/errors.js';
import { yaml, type InputSpec } from '../../lib/inputs/spec.js';
import type { JsonSchema } from '../../lib/schema.js';
import { DURATION_PATTERN } from '../../lib/schemas/patterns.js';
import { needsProblems } from './waves.js';

/**
 * One release of a release set, as the `releases` input writes it. Keys are the single-release
 * inputs of the same name; what an entry leaves out comes from the step's inputs (namespace,
 * create-namespace, timeout, atomic, wait) or is empty (values, set, ...).
 */
export interface ReleaseEntry {
  name: string;
  chart: string;
  repository?: string;
  version?: string;
  namespace?: string;
  'create-namespace'?: boolean;
  values?: string[];
  set?: string[];
  'set-string'?: string[];
  'set-file'?: string[];
  needs?: string[];
  atomic?: boolean;
  wait?: boolean;
  timeout?: string;
}

const RELEASE_NAME = '^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$';
const NAMESPACE = '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$';
const stringList = { type: 'array', items: { type: 'string', minLength: 1 } };

export const releasesSchema: JsonSchema = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'chart'],
    properties: {
      name: { type: 'string', pattern: RELEASE_NAME },
      chart: { type: 'string', minLength: 1 },
      repository: { type: 'string', minLength: 1 },
      version: { type: 'string', minLength: 1 },
      namespace: { type: 'string', pattern: NAMESPACE },
      'create-namespace': { type: 'boolean' },
      values: stringList,
      set: stringList,
      'set-string': stringList,
      'set-file': stringList,
      needs: { type: 'array', items: { type: 'string', pattern: RELEASE_NAME } },
      atomic: { type: 'boolean' },
      wait: { type: 'boolean' },
      timeout: { type: 'string', pattern: DURATION_PATTERN },
    },
  },
};

const base = yaml<ReleaseEntry[]>({
  schema: releasesSchema,
  description: '',
});

/**
 * The `releases` input: the schema's checks, then the set's own (duplicate names, unknown needs,
 * cycles), so the action and `config check` refuse the same sets with the same words.
 */
export function releasesInput(description: string): InputSpec<ReleaseEntry[] | undefined> {
  return {
    ...base,
    description,
    parse(input, raw, ctx) {
      const entries = base.parse(input, raw, ctx) ?? [];
      const problems = needsProblems(entries.map((e) => ({ name: e.name, needs: e.needs ?? [] })));
      if (problems.length)
        throw new ConfigurationError(
          `input '${input}' is invalid: ${problems.join('; ')}. Each release needs a unique name; 'needs' lists names of other releases of the set, without cycles.`,
        );
      return entries;
    },
  };
}

/** What a set's rollback does with one release: undo the deploy (to a revision, or uninstall), or leave it. */
export type RollbackTarget = { undo: true; to?: number } | { undo: false; why: string };

/**
 * Each release's rollback from the deploy step's `releases` output: a release that step changed and
 * did not undo itself returns to the revision it had before (a first install, which had none, is
 * uninstalled); one it skipped, undid or does not list is left alone. Without the output, every
 * release returns to its previous revision. Pure.
 */
export function rollbackTargets(
  raw: string | undefined,
  names: readonly string[],
): Map<string, RollbackTarget> {
  const out = new Map<string, RollbackTarget>();
  if (!raw?.trim()) {
    for (const n of names) out.set(n, { undo: true });
    return out;
  }
  const refuse = (why: string): never => {
    throw new InputError('revisions', raw, why);
  };
  let lines: unknown;
  try {
    lines = JSON.parse(raw);
  } catch {
    refuse(
      "expected the deploy step's `releases` output: a JSON list of {name, status, previous-revision, rolled-back}",
    );
  }
  if (!Array.isArray(lines))
    refuse(
      "expected the deploy step's `releases` output: a JSON list of {name, status, previous-revision, rolled-back}",
    );
  const listed = new Map<string, Record<string, unknown>>();
  for (const line of lines as unknown[]) {
    const l = (line ?? {}) as Record<string, unknown>;
    const name = l.name;
    const previous = l['previous-revision'];
    if (typeof name !== 'string' || typeof l.status !== 'string')
      refuse('each entry needs a name and a status, as the deploy step writes them');
    if (
      previous !== null &&
      previous !== undefined &&
      !(Number.isInteger(previous) && (previous as number) > 0)
    )
      refuse(
        `release ${quote(name as string)} has previous-revision ${quote(JSON.stringify(previous))}: expected a revision number or null`,
      );
    if (!names.includes(name as string))
      refuse(
        `it lists release ${quote(name as string)}, which is not in 'releases' (${names.join(', ')}): give the same set the deploy step deployed`,
      );
    listed.set(name as string, l);
  }
  for (const n of names) {
    const l = listed.get(n);
    if (!l) out.set(n, { undo: false, why: 'the deploy step did not list it' });
    else if (l['rolled-back'] === true || !['deployed', 'failed'].includes(l.status as string))
      out.set(n, {
        undo: false,
        why:
          l.status === 'skipped'
            ? 'the deploy step skipped it'
            : `the deploy step left it ${l.status}${l['rolled-back'] === true ? ' (it undid its own change)' : ''}`,
      });
    else {
      const previous = l['previous-revision'];
      out.set(n, typeof previous === 'number' ? { undo: true, to: previous } : { undo: true });
    }
  }
  return out;
}
