import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import { ConfigurationError } from './errors.js';

/** True when `path` is `root` or lies below it; both absolute, compared as written. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * The real path of `path` (every symbolic link on the way resolved) when it lies inside the real path
 * of `root`. A link checks out as a path inside the workspace while the bytes behind it are elsewhere,
 * so only the real paths are compared. `what` names the file in the error ("input 'waivers': the file").
 */
export async function realPathInside(root: string, path: string, what: string): Promise<string> {
  const [realRoot, real] = await Promise.all([realpath(root), realpath(path)]);
  if (!isInside(realRoot, real)) {
    throw new ConfigurationError(
      `${what} ${path} leads through a symbolic link to ${real}, outside ${realRoot}; ` +
        'only files inside it are read',
    );
  }
  return real;
}

/** Reads a regular file whose real path lies inside `root` (not a device or a pipe, which could block the step). */
export async function readFileInside(root: string, path: string, what: string): Promise<Buffer> {
  const real = await realPathInside(root, path, what);
  if (!(await stat(real)).isFile()) throw new ConfigurationError(`${what} ${path} is not a regular file`);
  return readFile(real);
}

export async function readTextInside(root: string, path: string, what: string): Promise<string> {
  return (await readFileInside(root, path, what)).toString('utf8');
}
