import { join, posix, relative, sep } from 'node:path';
import { ConfigurationError } from '../errors.js';
import { isInside } from '../real-path.js';
import { git, gitBytes } from './run.js';

export type EntryKind = 'file' | 'folder' | 'link' | 'submodule';

export interface TreeEntry {
  /** Relative to the folder that was listed, with `/`. */
  path: string;
  kind: EntryKind;
  oid: string;
}

const KIND_BY_TYPE: Record<string, EntryKind> = { blob: 'file', tree: 'folder', commit: 'submodule' };

/**
 * The workspace's files as committed on one ref, read with `git ls-tree` and `git cat-file`, never
 * from the working tree. Paths are absolute paths in the workspace. git does not follow symbolic links
 * inside a tree: a committed link is a link here, never what it points to, and a path through one
 * does not exist.
 */
export class CommittedTree {
  private readonly folders = new Map<string, Promise<TreeEntry[] | undefined>>();

  constructor(
    readonly workspace: string,
    readonly ref: string,
  ) {}

  /** The path relative to the workspace, with `/` (`''` for the workspace itself). */
  relative(path: string): string {
    if (!isInside(this.workspace, path)) {
      throw new ConfigurationError(
        `${path} is outside ${this.workspace}; only files of the repository are read on ${this.ref}`,
      );
    }
    return relative(this.workspace, path).split(sep).join('/');
  }

  /** The entries of a folder (every file below it when `recursive`); undefined when no folder is there. */
  list(folder: string, recursive = false): Promise<TreeEntry[] | undefined> {
    const key = `${recursive ? 'r' : '1'}:${this.relative(folder)}`;
    let hit = this.folders.get(key);
    if (!hit) {
      hit = this.listTree(this.relative(folder), recursive);
      this.folders.set(key, hit);
    }
    return hit;
  }

  /** What is at `path` on the ref; undefined when nothing is. */
  async entry(path: string): Promise<TreeEntry | undefined> {
    const rel = this.relative(path);
    if (rel === '') return { path: '', kind: 'folder', oid: '' };
    const entries = await this.list(join(this.workspace, posix.dirname(rel)));
    return entries?.find((e) => e.path === posix.basename(rel));
  }

  /** The bytes of a file as committed; a link, a folder or a missing path is an error naming it. */
  async read(path: string, what: string): Promise<Buffer> {
    const entry = await this.entry(path);
    if (!entry) throw new ConfigurationError(`${what} ${this.relative(path)} does not exist on ${this.ref}`);
    return this.readEntry(entry, this.relative(path), what);
  }

  /** The bytes of an entry `list` returned; `name` is how errors show it. */
  async readEntry(entry: TreeEntry, name: string, what: string): Promise<Buffer> {
    if (entry.kind === 'link') {
      throw new ConfigurationError(
        `${what} ${name} is a symbolic link on ${this.ref}; files are read there as committed, ` +
          'without following links',
      );
    }
    if (entry.kind !== 'file')
      throw new ConfigurationError(`${what} ${name} is a ${entry.kind} on ${this.ref}, not a file`);
    return gitBytes(['cat-file', 'blob', entry.oid], { cwd: this.workspace });
  }

  private async listTree(rel: string, recursive: boolean): Promise<TreeEntry[] | undefined> {
    // `<ref>:./<folder>` names the folder's own tree; --full-tree keeps git from narrowing the listing
    // to the working directory, so paths come out relative to that tree.
    const args = ['ls-tree', '-z', '--full-tree', ...(recursive ? ['-r'] : []), `${this.ref}:./${rel}`];
    const run = await git(args, { cwd: this.workspace, allowFailure: true });
    if (run.code !== 0) return undefined;
    return run.stdout
      .split('\0')
      .filter(Boolean)
      .map((line) => {
        const tab = line.indexOf('\t');
        const [mode, type, oid] = line.slice(0, tab).split(' ') as [string, string, string];
        const kind = mode === '120000' ? 'link' : (KIND_BY_TYPE[type] ?? 'file');
        return { path: line.slice(tab + 1), kind, oid };
      });
  }
}
