import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { STATE_DIR } from './paths.js';
import { STACK } from './servers.js';
import { stackForge } from '../../scripts/lib/forge.js';

/** The stack's Gitea (stack/forge/forge.sh): where it answers and who may act on it. */
export interface Forge {
  /** Web UI, e.g. http://127.0.0.1:13000 */
  url: string;
  /** REST API, what Octokit takes as `baseUrl`: http://127.0.0.1:13000/api/v1 */
  apiUrl: string;
  /** The admin user stack.sh created. */
  admin: string;
  /** An access token of the admin with every scope. */
  token: string;
}

export interface ForgeRepo {
  owner: string;
  name: string;
  /** `owner/name` */
  fullName: string;
  /** Clone URL without credentials (what a browser or a read-only clone uses). */
  cloneUrl: string;
  /** Clone URL carrying the admin's name and token, for `git push`. Never print it. */
  pushUrl: string;
  htmlUrl: string;
  /**
   * Resolves once the forge has processed the first push. Gitea records a push to an empty repository
   * in a background queue; until then the repository still counts as empty and, for one,
   * `GET .../branches/{b}` fails with a 500.
   */
  untilNotEmpty(timeoutMs?: number): Promise<void>;
  /** Deletes the repository from the forge. */
  remove(): Promise<void>;
}

export const FORGE_URL = STACK.forge;
const FORGE_STATE = join(STATE_DIR, 'forge');

let cached: Forge | undefined;

/** Fails (never skips) with the command that starts the forge when it is not up or its token is refused. */
export async function requireForge(): Promise<Forge> {
  if (cached) return cached;
  // The same reading of the stack's forge as the main command's (health, admin, token files).
  const { url, apiUrl, admin, token } = await stackForge(STATE_DIR, new URL(FORGE_URL).port);
  const me = await fetch(`${apiUrl}/user`, { headers: { authorization: `token ${token}` } });
  const login = me.ok ? ((await me.json()) as { login?: string }).login : undefined;
  if (login !== admin) {
    throw new Error(
      `The forge refuses the token in ${join(FORGE_STATE, 'admin-token')} for '${admin}' ` +
        `(HTTP ${me.status}, login ${login ?? 'none'}). \`bash stack/stack.sh up forge\` makes a new one.`,
    );
  }
  cached = { url, apiUrl, admin, token };
  return cached;
}

async function forgeApi(forge: Forge, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${forge.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `token ${forge.token}`,
      'content-type': 'application/json',
      accept: 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
}

/**
 * A new repository of the admin, named `<prefix>-<random>` so tests running at the same time never meet.
 * `init` gives it a first commit (a README on `main`); without it the repository is empty.
 */
export async function createForgeRepo(forge: Forge, prefix = 'cc-test', init = false): Promise<ForgeRepo> {
  const name = `${prefix}-${randomBytes(5).toString('hex')}`;
  const res = await forgeApi(forge, 'POST', '/user/repos', {
    name,
    auto_init: init,
    default_branch: 'main',
    private: false,
  });
  if (res.status !== 201)
    throw new Error(`creating the forge repository ${name} failed: HTTP ${res.status} ${await res.text()}`);
  const repo = (await res.json()) as {
    name: string;
    full_name: string;
    clone_url: string;
    html_url: string;
    owner: { login: string };
  };
  const pushUrl = new URL(repo.clone_url);
  pushUrl.username = forge.admin;
  pushUrl.password = forge.token;
  const owner = repo.owner.login;
  return {
    owner,
    name: repo.name,
    fullName: repo.full_name,
    cloneUrl: repo.clone_url,
    pushUrl: pushUrl.toString(),
    htmlUrl: repo.html_url,
    async untilNotEmpty(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const res = await forgeApi(forge, 'GET', `/repos/${owner}/${repo.name}`);
        const empty = res.ok ? ((await res.json()) as { empty: boolean }).empty : undefined;
        if (empty === false) return;
        if (Date.now() > deadline) {
          throw new Error(
            `${repo.full_name} still counts as empty ${timeoutMs} ms after the push (HTTP ${res.status})`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    async remove() {
      const del = await forgeApi(forge, 'DELETE', `/repos/${owner}/${repo.name}`);
      if (del.status !== 204 && del.status !== 404)
        throw new Error(`deleting ${repo.full_name} failed: HTTP ${del.status}`);
    },
  };
}
