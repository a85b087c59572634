import { constructFromEvents, CORE_SCHEMA, parseEvents, YAMLException, type Event } from 'js-yaml';
import { ConfigurationError } from '../errors.js';
import { locatorFor, type Locator } from './positions.js';

/** One parsed contract document: its text, its values, and lines on demand. */
export class SpecFile {
  private readonly locator: Locator;

  constructor(
    /** How reports name the file (relative to the workspace, or a URL). */
    readonly name: string,
    /** Absolute path or URL, the key relative `$ref`s resolve against. */
    readonly location: string,
    readonly text: string,
    readonly value: unknown,
    readonly format: 'json' | 'yaml',
    events?: Event[],
  ) {
    this.locator = locatorFor(text, format, events);
  }

  private readonly lines = new Map<string, number>();

  line(pointer: string): number {
    let hit = this.lines.get(pointer);
    if (hit === undefined) {
      hit = this.locator.line(pointer);
      this.lines.set(pointer, hit);
    }
    return hit;
  }
}

/**
 * Limits every contract document is held to, whoever wrote it (a pull request, a recording, a fetched
 * `$ref`): a few hundred bytes of YAML aliases must not expand into billions of values, nor a deep
 * nesting overflow the stack of the passes that walk a document.
 */
export const DOCUMENT_LIMITS = {
  /** YAML alias nodes (`*name`) per document, as the action inputs allow (their `maxAliasCount` is 50). */
  aliases: 50,
  /** Nested collections (mappings and lists), aliases expanded. */
  depth: 100,
  /** Values once aliases are expanded: what every later pass over the document walks. */
  values: 2_000_000,
} as const;

export function formatOf(name: string, text: string): 'json' | 'yaml' {
  if (/\.json$/i.test(name)) return 'json';
  if (/\.ya?ml$/i.test(name)) return 'yaml';
  return /^\s*[{[]/.test(text) ? 'json' : 'yaml';
}

/** Parses JSON or YAML text; a syntax error is the user's to fix and names the file. */
export function parseSpecText(name: string, text: string, format = formatOf(name, text)): unknown {
  return parseWithEvents(name, text, format).value;
}

function parseWithEvents(
  name: string,
  text: string,
  format: 'json' | 'yaml',
): { value: unknown; events?: Event[] } {
  if (format === 'json') {
    let value: unknown;
    let parsed = false;
    try {
      value = JSON.parse(text);
      parsed = true;
    } catch {
      // Fall through: JSON with comments or trailing commas is still readable as YAML (flow style).
    }
    if (parsed) {
      checkBounds(name, value);
      return { value };
    }
  }
  let parsed: { value: unknown; events: Event[] };
  try {
    // js-yaml's event stream carries source offsets: the same pass gives values now and lines later.
    // The parser stops at the depth limit, the constructor at the alias limit, before any value is built.
    const events = parseEvents(text, { filename: name, maxDepth: DOCUMENT_LIMITS.depth });
    const options = {
      source: text,
      filename: name,
      schema: CORE_SCHEMA,
      maxAliases: DOCUMENT_LIMITS.aliases,
    };
    const docs = constructFromEvents(events, options);
    parsed = { value: docs[0], events };
  } catch (err) {
    const detail = err instanceof YAMLException ? err.message.split('\n')[0]! : String(err);
    if (detail.includes('exceeded maxAliases')) {
      throw new ConfigurationError(
        `${name} uses more than ${DOCUMENT_LIMITS.aliases} YAML aliases (${detail}); ` +
          'contract documents are limited to that many, so that a few hundred bytes cannot expand into billions of values',
      );
    }
    if (detail.includes('exceeded maxDepth')) {
      throw new ConfigurationError(
        `${name} nests deeper than ${DOCUMENT_LIMITS.depth} levels of mappings and lists ` +
          `(${detail}); contract documents are limited to that depth`,
      );
    }
    throw new ConfigurationError(`${name} is not valid ${format === 'json' ? 'JSON' : 'YAML'}: ${detail}`);
  }
  checkBounds(name, parsed.value);
  return parsed;
}

/**
 * Walks the value once, without recursion, and stops at the first limit it passes: aliases that each
 * stay under the alias limit can still nest into a large expansion, and JSON has no depth limit of its own.
 */
export function checkBounds(name: string, value: unknown): void {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  let values = 0;
  while (pending.length > 0) {
    const { value: v, depth } = pending.pop()!;
    if (++values > DOCUMENT_LIMITS.values) {
      throw new ConfigurationError(
        `${name} holds more than ${DOCUMENT_LIMITS.values} values once its YAML aliases ` +
          'are expanded; contract documents are limited to that many',
      );
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= DOCUMENT_LIMITS.depth) {
      throw new ConfigurationError(
        `${name} nests deeper than ${DOCUMENT_LIMITS.depth} levels of mappings and lists; ` +
          'contract documents are limited to that depth',
      );
    }
    for (const child of Array.isArray(v) ? v : Object.values(v))
      pending.push({ value: child, depth: depth + 1 });
  }
}

export function specFile(name: string, location: string, text: string): SpecFile {
  const format = formatOf(name, text);
  const { value, events } = parseWithEvents(name, text, format);
  return new SpecFile(name, location, text, value, format, events);
}
