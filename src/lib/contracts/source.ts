import { parse as parseYaml, YAMLParseError } from 'yaml';
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
  ) {
    this.locator = locatorFor(text, format);
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
  if (format === 'json') {
    try {
      return JSON.parse(text);
    } catch {
      // Fall through: JSON with comments or trailing commas is still readable as YAML (flow style).
    }
  }
  try {
    return parseYaml(text, { maxAliasCount: 1000, uniqueKeys: true });
  } catch (err) {
    const detail = err instanceof YAMLParseError ? err.message.split('\n')[0] : String(err);
    throw new ConfigurationError(`${name} is not valid ${format === 'json' ? 'JSON' : 'YAML'}: ${detail}`);
  }
}

export function specFile(name: string, location: string, text: string): SpecFile {
  const format = formatOf(name, text);
  return new SpecFile(name, location, text, parseSpecText(name, text, format), format);
}
