import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { ConfigurationError } from '../errors.js';
import { readTextInside } from '../real-path.js';
import { GuardedFetchError, guardedFetchText } from '../net/guarded-fetch.js';
import { get } from './pointer.js';
import { specFile, type SpecFile } from './source.js';

/** Largest document an external `$ref` may fetch. */
export const MAX_EXTERNAL_BYTES = 16 * 1024 * 1024;

export interface LoadOptions {
  /** Fetch `$ref`s to http(s) URLs. Off by default: no contract ever leaves the machine, and no URL in a pull request is fetched. */
  allowExternalRefs?: boolean;
  /**
   * Local files (the entry and its `$ref`s) must stay inside this folder, by their real paths: a symbolic
   * link that leads out of it is refused (default: not limited).
   */
  root?: string;
  /** Reads a local file by absolute path (default: the file system; design-drift reads a git ref through it). */
  readLocal?: (absolutePath: string) => Promise<string>;
  /** Timeout for each external fetch. */
  fetchTimeoutMs?: number;
}

export interface Resolved {
  file: SpecFile;
  pointer: string;
  value: unknown;
}

/** An object in one of the loaded documents, with where it is. */
export interface SpecNode {
  file: SpecFile;
  pointer: string;
  value: Record<string, unknown>;
}

/** Follows a node's `$ref` chain (bounded, so a cycle ends) to the object it names. */
export function derefNode(set: SpecSet, node: SpecNode): SpecNode {
  let cur = node;
  for (let hops = 0; hops < 32 && typeof cur.value.$ref === 'string'; hops++) {
    const r = set.resolve(cur.file, cur.value.$ref);
    if (r.value === null || typeof r.value !== 'object' || Array.isArray(r.value)) break;
    cur = { file: r.file, pointer: r.pointer, value: r.value as Record<string, unknown> };
  }
  return cur;
}

/** A document and every document its `$ref`s reach, loaded up front so diffing stays synchronous. */
export class SpecSet {
  constructor(
    readonly entry: SpecFile,
    private readonly files: Map<string, SpecFile>,
  ) {}

  get documents(): SpecFile[] {
    return [...this.files.values()];
  }

  /** Follows one `$ref` written in `from`. */
  resolve(from: SpecFile, ref: string): Resolved {
    const { target, pointer } = splitRef(from.location, ref);
    const file = target === undefined ? from : this.files.get(target);
    if (!file)
      throw new ConfigurationError(
        `${from.name}: $ref ${JSON.stringify(ref)} points to a document that was not loaded`,
      );
    const value = get(file.value, pointer);
    if (value === undefined)
      throw new ConfigurationError(
        `${from.name}: $ref ${JSON.stringify(ref)} points to nothing (no ${pointer || 'document root'} in ${file.name})`,
      );
    return { file, pointer, value };
  }
}

function isUrl(s: string): boolean {
  return /^https?:\/\//i.test(s);
}

/** Splits a `$ref` into the document it names (undefined: the same one) and a JSON pointer. */
export function splitRef(fromLocation: string, ref: string): { target: string | undefined; pointer: string } {
  const hash = ref.indexOf('#');
  const filePart = hash < 0 ? ref : ref.slice(0, hash);
  let pointer = hash < 0 ? '' : ref.slice(hash + 1);
  try {
    pointer = decodeURIComponent(pointer);
  } catch {
    // A literal % in a key: keep the pointer as written.
  }
  if (filePart === '') return { target: undefined, pointer };
  if (isUrl(filePart)) return { target: new URL(filePart).href, pointer };
  if (isUrl(fromLocation)) return { target: new URL(filePart, fromLocation).href, pointer };
  return { target: resolve(dirname(fromLocation), decodeURI(filePart)), pointer };
}

function collectRefs(value: unknown, out: string[]): void {
  if (Array.isArray(value)) {
    for (const v of value) collectRefs(v, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else if (typeof v === 'object') collectRefs(v, out);
    }
  }
}

/**
 * Loads `entry` and, transitively, every document its `$ref`s name: files relative to the document,
 * and http(s) URLs only when allowed. Cycles between documents are fine (each loads once).
 */
export async function loadSpecSet(entry: SpecFile, opts: LoadOptions = {}): Promise<SpecSet> {
  const files = new Map<string, SpecFile>([[entry.location, entry]]);
  const queue: SpecFile[] = [entry];
  const readLocal = opts.readLocal ?? localReader(opts.root);
  const entryDir = isUrl(entry.location) ? '' : dirname(entry.location);
  while (queue.length > 0) {
    const file = queue.shift()!;
    const refs: string[] = [];
    collectRefs(file.value, refs);
    for (const ref of new Set(refs)) {
      const { target } = splitRef(file.location, ref);
      if (target === undefined || files.has(target)) continue;
      let text: string;
      let name: string;
      if (isUrl(target)) {
        if (!opts.allowExternalRefs) {
          throw new ConfigurationError(
            `${file.name}: $ref ${JSON.stringify(ref)} points to ${target}; external references are not fetched (nothing leaves the machine) unless allow-external-refs is true`,
          );
        }
        text = await fetchText(target, opts.fetchTimeoutMs ?? 15_000, file.name);
        name = target;
      } else {
        if (opts.root) {
          const rel = relative(resolve(opts.root), target);
          if (rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) {
            throw new ConfigurationError(
              `${file.name}: $ref ${JSON.stringify(ref)} resolves to ${target}, outside ${opts.root}; only files inside it are read`,
            );
          }
        }
        try {
          text = await readLocal(target);
        } catch (err) {
          if (err instanceof ConfigurationError) {
            throw new ConfigurationError(`${file.name}: $ref ${JSON.stringify(ref)}: ${err.message}`);
          }
          throw new ConfigurationError(
            `${file.name}: $ref ${JSON.stringify(ref)} names ${target}, which cannot be read: ${(err as Error).message.split('\n')[0]}`,
          );
        }
        name = entryDir && !isUrl(entry.location) ? joinName(entry.name, relative(entryDir, target)) : target;
      }
      const loaded = specFile(name, target, text);
      files.set(target, loaded);
      queue.push(loaded);
    }
  }
  return new SpecSet(entry, files);
}

/** Reads local files from the file system; with a root, only those whose real path is inside it. */
export function localReader(root: string | undefined): (absolutePath: string) => Promise<string> {
  if (root === undefined) return (p) => readFile(p, 'utf8');
  return (p) => readTextInside(root, p, 'the file');
}

/** The display name of a referenced file: the entry's folder as the user named it, plus the relative path. */
function joinName(entryName: string, rel: string): string {
  const slash = entryName.lastIndexOf('/');
  const dir = slash < 0 ? '' : entryName.slice(0, slash + 1);
  const parts = `${dir}${rel.split(sep).join('/')}`.split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (p !== '.') out.push(p);
  }
  return out.join('/');
}

async function fetchText(url: string, timeoutMs: number, from: string): Promise<string> {
  try {
    return await guardedFetchText(url, { timeoutMs, maxBytes: MAX_EXTERNAL_BYTES });
  } catch (err) {
    if (err instanceof GuardedFetchError)
      throw new ConfigurationError(`${from}: external $ref ${url} ${err.message}`);
    throw err;
  }
}
