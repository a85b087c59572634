import { mkdir, writeFile, rename } from 'node:fs/promises';
import { dirname, resolve, relative, isAbsolute, sep } from 'node:path';
import { ConfigurationError } from './errors.js';
import { redactor } from './redact.js';

/**
 * Writes text atomically (temp file + rename) after removing every registered secret,
 * so a reader never sees a half-written file and no secret reaches the disk.
 */
export async function writeTextFile(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  await writeFile(tmp, redactor.redact(content), 'utf8');
  await rename(tmp, path);
}

export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await writeTextFile(path, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Resolves `candidate` inside `root` and refuses anything that would leave it
 * (`..` segments, absolute paths elsewhere). `what` names the input for the error.
 */
export function resolveInside(root: string, candidate: string, what: string): string {
  const base = resolve(root);
  const full = resolve(base, candidate);
  const rel = relative(base, full);
  if (rel === '') return full;
  if (rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) {
    throw new ConfigurationError(
      `${what} ${JSON.stringify(candidate)} points outside ${base}; only paths inside it are allowed`,
    );
  }
  return full;
}
