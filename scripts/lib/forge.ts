// The stack's Gitea (stack/forge/forge.sh) as the local Integration Day uses it: the origin the day
// pushes to and the forge its follow-up issues are filed on. Administration (organisations, users,
// collaborators) is Gitea's own API; what the actions call goes through src/lib/forge.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface StackForge {
  /** Web UI, e.g. http://127.0.0.1:13000 */
  url: string;
  /** REST API root, what the actions take as GITHUB_API_URL. */
  apiUrl: string;
  admin: string;
  /** The admin's access token (every scope). Never print it. */
  token: string;
  /** The 0600 file the token is read from: git's credential helper reads it too. */
  tokenFile: string;
  passwordFile: string;
}

const START = 'start it with `npm run stack:up` (or `bash stack/stack.sh up forge`)';

/** The forge of the stack whose state is in `state`; fails with how to start it when it does not answer. */
export async function stackForge(
  state: string,
  port = process.env.FORGE_PORT ?? '13000',
): Promise<StackForge> {
  const dir = join(state, 'forge');
  const file = (name: string) => {
    const path = join(dir, name);
    if (!existsSync(path)) throw new Error(`the stack's forge has no ${name} in ${dir}: ${START}`);
    return path;
  };
  const url = `http://127.0.0.1:${port}`;
  const health = await fetch(`${url}/api/healthz`, { signal: AbortSignal.timeout(10_000) }).catch(
    (err: unknown) => err as Error,
  );
  if (health instanceof Error || !health.ok)
    throw new Error(
      `the stack's forge (Gitea) does not answer on ${url} (${health instanceof Error ? health.message : `HTTP ${health.status}`}): ${START}`,
    );
  const tokenFile = file('admin-token');
  return {
    url,
    apiUrl: `${url}/api/v1`,
    admin: readFileSync(file('admin-user'), 'utf8').trim(),
    token: readFileSync(tokenFile, 'utf8').trim(),
    tokenFile,
    passwordFile: file('admin-password'),
  };
}

async function call<T>(
  forge: StackForge,
  method: string,
  path: string,
  body?: unknown,
): Promise<T | undefined> {
  const res = await fetch(`${forge.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `token ${forge.token}`,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  if (res.status === 404 && method === 'GET') return undefined;
  if (!res.ok) throw new Error(`forge: ${method} ${path} answered HTTP ${res.status}: ${await res.text()}`);
  return res.status === 204 ? undefined : ((await res.json()) as T);
}

/**
 * The day's repository `owner/name` on the forge, made when missing: a public repository of the
 * organisation `owner` (made too), empty, with `main` as its default branch. Returns its clone URL.
 */
export async function ensureRepository(forge: StackForge, fullName: string): Promise<string> {
  const [owner, name, extra] = fullName.split('/');
  if (!owner || !name || extra !== undefined)
    throw new Error(`FORGE_REPOSITORY has value ${JSON.stringify(fullName)}; expected owner/name`);
  const found = await call<{ clone_url: string }>(forge, 'GET', `/repos/${owner}/${name}`);
  if (found) return found.clone_url;
  if (owner !== forge.admin && !(await call(forge, 'GET', `/orgs/${owner}`)))
    await call(forge, 'POST', '/orgs', { username: owner, visibility: 'public' });
  const path = owner === forge.admin ? '/user/repos' : `/orgs/${owner}/repos`;
  const made = await call<{ clone_url: string }>(forge, 'POST', path, {
    name,
    default_branch: 'main',
    private: false,
    auto_init: false,
  });
  return made!.clone_url;
}

/**
 * The stand-in team on the forge: each login gets an account (when missing) and write access to the
 * repository, so follow-up issues can be assigned to the owners the configuration names.
 */
export async function ensureCollaborators(
  forge: StackForge,
  fullName: string,
  logins: string[],
): Promise<void> {
  for (const login of logins) {
    if (!(await call(forge, 'GET', `/users/${login}`))) {
      await call(forge, 'POST', '/admin/users', {
        username: login,
        email: `${login}@command-center.invalid`,
        // Nobody logs in as them: a long random password nobody knows.
        password: `${randomUUID()}-${randomUUID()}`,
        must_change_password: true,
      });
    }
    await call(forge, 'PUT', `/repos/${fullName}/collaborators/${login}`, { permission: 'write' });
  }
}

/**
 * git configuration that lets git push to the forge as its admin: a credential helper that reads the
 * token from the stack's 0600 file when git asks, so the token is never written into a repository's
 * config, a remote URL or a process's arguments.
 */
export function gitCredentials(forge: StackForge): Record<string, string> {
  if (/['\n]/.test(forge.tokenFile) || /['\n]/.test(forge.admin))
    throw new Error(
      `the forge's token file path ${JSON.stringify(forge.tokenFile)} cannot be quoted for git`,
    );
  const helper =
    `!f() { test "$1" = get || exit 0; echo 'username=${forge.admin}'; ` +
    `printf 'password=%s\\n' "$(cat '${forge.tokenFile}')"; }; f`;
  return { [`credential.${forge.url}.helper`]: helper };
}
