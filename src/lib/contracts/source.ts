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

export function formatOf(name: string, text: string): 'json' | 'yaml' {
  if (/\.json$/i.test(name)) return 'json';
  if (/\.ya?ml$/i.test(name)) return 'yaml';
  return /^\s*[{[]/.test(text) ? 'json' : 'yaml';
}

/** Parses JSON or YAML text; a syntax error is the user's to fix and names the file. */
export function parseSpecText(name: string, text: string, format = formatOf(name, text)): unknown {
  return parseWithEvents(name, text, format).value;
}

function parseWithEvents(name: string, text: string, format: 'json' | 'yaml'): { value: unknown; events?: Event[] } {
  if (format === 'json') {
    try {
      return { value: JSON.parse(text) };
    } catch {
      // Fall through: JSON with comments or trailing commas is still readable as YAML (flow style).
    }
  }
  try {
    // js-yaml's event stream carries source offsets: the same pass gives values now and lines later.
    const events = parseEvents(text, { filename: name });
    const docs = constructFromEvents(events, { source: text, filename: name, schema: CORE_SCHEMA });
    return { value: docs[0], events };
  } catch (err) {
    const detail = err instanceof YAMLException ? err.message.split('\n')[0] : String(err);
    throw new ConfigurationError(`${name} is not valid ${format === 'json' ? 'JSON' : 'YAML'}: ${detail}`);
  }
}

export function specFile(name: string, location: string, text: string): SpecFile {
  const format = formatOf(name, text);
  const { value, events } = parseWithEvents(name, text, format);
  return new SpecFile(name, location, text, value, format, events);
}
