import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ConfigurationError, InputError, quote } from '../errors.js';
import { DURATION_HELP, parseDurationMs } from '../duration.js';
import { isCalendarDate, isTimeZone } from '../dates.js';
import { validateAgainst, type JsonSchema } from '../schema.js';

/**
 * One typed description of an action input. The same object drives the parser, the CLI's
 * flags and the test that keeps action.yml and the action's README in step with the code.
 */
export interface InputSpec<T> {
  readonly kind:
    'string' | 'boolean' | 'integer' | 'enum' | 'duration' | 'date' | 'timezone' | 'lines' | 'yaml';
  readonly description: string;
  readonly required: boolean;
  /** The default exactly as action.yml writes it (the runner hands it to us as a string). */
  readonly default?: string;
  /** Values that must be masked and redacted (passwords, kubeconfigs, tokens). */
  readonly secret?: boolean;
  /** For enum inputs: the allowed values. */
  readonly values?: readonly string[];
  /** For yaml inputs: the JSON Schema the parsed document must satisfy (configuration files reuse it). */
  readonly schema?: JsonSchema;
  /** Parses a non-empty raw value; throws InputError naming the input. */
  parse(input: string, raw: string, ctx: ParseContext): T;
  /** Phantom, for type inference only. */
  readonly __type?: T;
}

export interface ParseContext {
  /** Relative file paths in inputs resolve against this (the workspace). */
  workspace: string;
}

type Common = { description: string; secret?: boolean };

function spec<T>(s: Omit<InputSpec<T>, '__type'>): InputSpec<T> {
  return s;
}

export function string(o: Common & { required: true; pattern?: RegExp; allowed?: string }): InputSpec<string>;
export function string(
  o: Common & { default: string; pattern?: RegExp; allowed?: string },
): InputSpec<string>;
export function string(o: Common & { pattern?: RegExp; allowed?: string }): InputSpec<string | undefined>;
export function string(
  o: Common & { required?: boolean; default?: string; pattern?: RegExp; allowed?: string },
): InputSpec<string | undefined> {
  return spec({
    kind: 'string',
    description: o.description,
    required: o.required ?? false,
    ...(o.default !== undefined ? { default: o.default } : {}),
    ...(o.secret ? { secret: true } : {}),
    parse(input, raw) {
      if (o.pattern && !o.pattern.test(raw))
        throw new InputError(
          input,
          o.secret ? '***' : raw,
          o.allowed ?? `expected a value matching ${o.pattern}`,
        );
      return raw;
    },
  });
}

export function boolean(o: Common & { default: boolean }): InputSpec<boolean> {
  return spec({
    kind: 'boolean',
    description: o.description,
    required: false,
    default: String(o.default),
    parse(input, raw) {
      // The YAML 1.2 core schema booleans, as @actions/core accepts them.
      if (['true', 'True', 'TRUE'].includes(raw)) return true;
      if (['false', 'False', 'FALSE'].includes(raw)) return false;
      throw new InputError(input, raw, 'expected true or false');
    },
  });
}

export function integer(o: Common & { default: number; min?: number; max?: number }): InputSpec<number>;
export function integer(o: Common & { required: true; min?: number; max?: number }): InputSpec<number>;
export function integer(o: Common & { min?: number; max?: number }): InputSpec<number | undefined>;
export function integer(
  o: Common & { required?: boolean; default?: number; min?: number; max?: number },
): InputSpec<number | undefined> {
  const min = o.min ?? Number.MIN_SAFE_INTEGER;
  const max = o.max ?? Number.MAX_SAFE_INTEGER;
  const range =
    o.min !== undefined && o.max !== undefined
      ? ` from ${min} to ${max}`
      : o.min !== undefined
        ? ` of at least ${min}`
        : o.max !== undefined
          ? ` of at most ${max}`
          : '';
  return spec({
    kind: 'integer',
    description: o.description,
    required: o.required ?? false,
    ...(o.default !== undefined ? { default: String(o.default) } : {}),
    parse(input, raw) {
      if (!/^-?\d+$/.test(raw)) throw new InputError(input, raw, `expected a whole number${range}`);
      const n = Number(raw);
      if (!Number.isSafeInteger(n) || n < min || n > max)
        throw new InputError(input, raw, `expected a whole number${range}`);
      return n;
    },
  });
}

export function oneOf<const V extends readonly string[]>(
  values: V,
  o: Common & { default: V[number] },
): InputSpec<V[number]>;
export function oneOf<const V extends readonly string[]>(
  values: V,
  o: Common & { required: true },
): InputSpec<V[number]>;
export function oneOf<const V extends readonly string[]>(
  values: V,
  o: Common & { required?: boolean; default?: V[number] },
): InputSpec<V[number] | undefined> {
  return spec({
    kind: 'enum',
    description: o.description,
    required: o.required ?? false,
    values,
    ...(o.default !== undefined ? { default: o.default } : {}),
    parse(input, raw) {
      if (!values.includes(raw)) throw new InputError(input, raw, `expected one of ${values.join(', ')}`);
      return raw as V[number];
    },
  });
}

/** A duration such as 90s or 5m, parsed to milliseconds. */
export function duration(o: Common & { default: string; min?: number; max?: number }): InputSpec<number>;
export function duration(o: Common & { min?: number; max?: number }): InputSpec<number | undefined>;
export function duration(
  o: Common & { default?: string; min?: number; max?: number },
): InputSpec<number | undefined> {
  return spec({
    kind: 'duration',
    description: o.description,
    required: false,
    ...(o.default !== undefined ? { default: o.default } : {}),
    parse(input, raw) {
      const ms = parseDurationMs(raw);
      if (ms === undefined) throw new InputError(input, raw, DURATION_HELP);
      if (o.min !== undefined && ms < o.min)
        throw new InputError(input, raw, `expected a duration of at least ${o.min}ms`);
      if (o.max !== undefined && ms > o.max)
        throw new InputError(input, raw, `expected a duration of at most ${o.max}ms`);
      return ms;
    },
  });
}

/** A calendar date written exactly YYYY-MM-DD; empty means "today" to the action. */
export function date(o: Common): InputSpec<string | undefined> {
  return spec({
    kind: 'date',
    description: o.description,
    required: false,
    parse(input, raw) {
      if (!isCalendarDate(raw))
        throw new InputError(input, raw, 'expected a calendar date written exactly as YYYY-MM-DD');
      return raw;
    },
  });
}

export function timezone(o: Common & { default: string }): InputSpec<string> {
  return spec({
    kind: 'timezone',
    description: o.description,
    required: false,
    default: o.default,
    parse(input, raw) {
      if (!isTimeZone(raw))
        throw new InputError(input, raw, 'expected an IANA time zone such as America/Los_Angeles or UTC');
      return raw;
    },
  });
}

/** One value per line (blank lines and `#` comments ignored); never split on commas. */
export function lines(o: Common & { required?: boolean; default?: string }): InputSpec<string[]> {
  return spec({
    kind: 'lines',
    description: o.description,
    required: o.required ?? false,
    ...(o.default !== undefined ? { default: o.default } : {}),
    parse(_input, raw) {
      return raw
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#'));
    },
  });
}

const FILE_LIKE = /^[^\n:]*\.(ya?ml|json)$/;

/**
 * Structured input as YAML, either inline in the workflow or as a path to a file in the
 * workspace. Validated against a JSON Schema; errors point at the offending key.
 */
export function yaml<T>(
  o: Common & { schema: JsonSchema; required?: boolean; default?: string },
): InputSpec<T | undefined> {
  return spec({
    kind: 'yaml',
    description: o.description,
    required: o.required ?? false,
    ...(o.default !== undefined ? { default: o.default } : {}),
    schema: o.schema,
    parse(input, raw, ctx) {
      const { text, source } = readYamlSource(input, raw, ctx);
      let doc: unknown;
      try {
        doc = parseYaml(text, { uniqueKeys: true, maxAliasCount: 50, prettyErrors: true, strict: true });
      } catch (err) {
        const detail = err instanceof YAMLParseError ? err.message.split('\n')[0] : String(err);
        throw new ConfigurationError(`input '${input}' is not valid YAML${source}: ${detail}`);
      }
      const violations = validateAgainst(o.schema, doc);
      if (violations.length > 0) {
        const first = violations.slice(0, 5).map((v) => {
          const where = v.pointer === '' ? 'at the top level' : `at ${v.pointer}`;
          const shown =
            v.value !== undefined && typeof v.value !== 'object'
              ? ` (value ${quote(String(v.value), 80)})`
              : '';
          return `${where}${shown} ${v.message}`;
        });
        const more = violations.length > 5 ? `; and ${violations.length - 5} more` : '';
        throw new ConfigurationError(`input '${input}' is invalid${source}: ${first.join('; ')}${more}`);
      }
      return doc as T;
    },
  });
}

function readYamlSource(input: string, raw: string, ctx: ParseContext): { text: string; source: string } {
  if (!FILE_LIKE.test(raw.trim())) return { text: raw, source: '' };
  const path = isAbsolute(raw.trim()) ? raw.trim() : resolve(ctx.workspace, raw.trim());
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new InputError(
      input,
      raw,
      `looks like a file path, but no such file exists (resolved to ${path}); give inline YAML or an existing .yml/.yaml/.json file`,
    );
  }
  return { text: readFileSync(path, 'utf8'), source: ` (file ${raw.trim()})` };
}

export type InputSchema = Record<string, InputSpec<unknown>>;

type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;

export type InputValues<S extends InputSchema> = {
  [K in keyof S & string as Camel<K>]: S[K] extends InputSpec<infer T> ? T : never;
};

export function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Reads every input of `schema` through `get` (the runner's INPUT_* variables, or the CLI's flags),
 * applies defaults, checks required ones and parses each; the first bad input is reported.
 */
export function parseInputs<S extends InputSchema>(
  schema: S,
  get: (name: string) => string | undefined,
  ctx: ParseContext,
): InputValues<S> {
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(schema)) {
    let raw = (get(name) ?? '').trim();
    if (raw === '' && s.default !== undefined) raw = s.default;
    if (raw === '') {
      if (s.required) throw new InputError(name, '', `this input is required: ${s.description}`);
      out[camelCase(name)] = s.kind === 'lines' ? [] : undefined;
      continue;
    }
    out[camelCase(name)] = s.parse(name, raw, ctx);
  }
  return out as InputValues<S>;
}
