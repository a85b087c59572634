import type { ForgeKind } from './client.js';

/**
 * The web page of a file on a branch: GitHub and GitHub Enterprise Server show it under
 * `/blob/<branch>/`, Gitea and Forgejo under `/src/branch/<branch>/`. A `#anchor` is kept.
 */
export function forgeFileUrl(o: {
  kind: ForgeKind;
  /** The forge's web root: GITHUB_SERVER_URL on a runner (https://github.com, https://gitea.example). */
  serverUrl: string;
  repository: string;
  branch: string;
  path: string;
}): string {
  const [file, anchor] = splitAnchor(o.path.replace(/^\.?\//, ''));
  const where = o.kind === 'gitea' ? 'src/branch' : 'blob';
  const encoded = [...o.branch.split('/'), ...file.split('/')].map(encodeURIComponent).join('/');
  return `${o.serverUrl.replace(/\/+$/, '')}/${o.repository}/${where}/${encoded}${anchor ? `#${anchor}` : ''}`;
}

function splitAnchor(path: string): [string, string | undefined] {
  const i = path.indexOf('#');
  return i === -1 ? [path, undefined] : [path.slice(0, i), path.slice(i + 1)];
}
