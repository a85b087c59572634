import { isAbsolute, relative, sep } from 'node:path';

/**
 * How a chart is named in results, summaries and the status report. A local chart is deployed
 * from its absolute path, which on a runner lies in a folder of the runner's own (the job's
 * workspace under act's cache, `/home/runner/work/...`): a reader needs the repository path
 * instead, the one the configuration names. Pure.
 */

/** A folder of the runner's (RUNNER_TEMP, RUNNER_TOOL_CACHE), shown by the placeholder inputs use for it. */
export interface RunnerFolder {
  placeholder: string;
  path: string;
  realPath?: string;
}

export interface ChartLocation {
  /** The `chart` input as written. */
  given: string;
  /** Set for a chart on disk: its absolute path, and its real path (links resolved) when known. */
  local?: { path: string; realPath?: string };
  /** The workspace (the repository checkout) that relative inputs are resolved in. */
  workspace: { path: string; realPath?: string };
  runnerFolders?: readonly RunnerFolder[];
}

/**
 * - a chart reference (`repo/chart`, `oci://…`, a URL): as given;
 * - a chart on disk inside the workspace: its path relative to the workspace (`examples/staging/chart`),
 *   compared as written and by real paths, so a link on the way does not hide it;
 * - inside a runner folder: the folder's placeholder and the path below it (`{runner-temp}/chart`);
 * - anywhere else: as given.
 */
export function shownChart(c: ChartLocation): string {
  const given = c.given.trim();
  if (!c.local) return given;
  const inWorkspace = below(c.workspace.path, c.local.path) ?? below(c.workspace.realPath, c.local.realPath);
  if (inWorkspace !== undefined) return inWorkspace || '.';
  for (const f of c.runnerFolders ?? []) {
    const rel = below(f.path, c.local.path) ?? below(f.realPath, c.local.realPath);
    if (rel !== undefined) return rel ? `${f.placeholder}/${rel}` : f.placeholder;
  }
  return given;
}

/** `path` relative to `root` with forward slashes ('' for the root itself), or undefined when outside. */
function below(root: string | undefined, path: string | undefined): string | undefined {
  if (!root || !path || !isAbsolute(root) || !isAbsolute(path)) return undefined;
  const rel = relative(root, path);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}
