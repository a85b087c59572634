import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// A repository as a design-drift job sees it on a pull request: a bare origin whose `main` is the
// base branch, and a checkout of the pull request's branch with `origin/main` fetched (fetch-depth: 0).

export const RECORDED = 'docs/design/contracts/2026-11-20';

const object = (props: Record<string, unknown>) => ({
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string' }, ...props },
});
const getOne = (schema: string) => ({
  get: {
    operationId: `get${schema}`,
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
    responses: {
      200: {
        description: `one ${schema}`,
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } },
      },
    },
  },
});

/** The recorded contract: GET /users/{id} returns a User with a nickname, GET /teams/{id} a Team with a motto. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function usersApi(): Record<string, any> {
  return {
    openapi: '3.0.3',
    info: { title: 'Users', version: '1.0.0' },
    paths: { '/users/{id}': getOne('User'), '/teams/{id}': getOne('Team') },
    components: {
      schemas: {
        User: object({ nickname: { type: 'string' } }),
        Team: object({ motto: { type: 'string' } }),
      },
    },
  };
}

export interface DriftRepo {
  /** The pull request's checkout (the job's workspace). */
  dir: string;
  /** A scratch folder beside the repository, outside the workspace. */
  outside: string;
  git(...args: string[]): string;
  write(path: string, content: string | object): void;
  commit(message: string): void;
}

export function driftRepo(files: Record<string, string | object>): DriftRepo {
  const root = mkdtempSync(join(tmpdir(), 'cc-drift-security-'));
  const origin = join(root, 'origin.git');
  const dir = join(root, 'work');
  const outside = join(root, 'outside');
  mkdirSync(outside);
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', origin]);
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
      cwd: dir,
      encoding: 'utf8',
    }).trim();
  const write = (path: string, content: string | object) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text(content));
  };
  const commit = (message: string) => {
    git('add', '-A');
    git('commit', '-q', '-m', message);
  };
  for (const [path, content] of Object.entries(files)) write(path, content);
  commit('base: recorded contracts, declared copy, configuration and waivers');
  git('remote', 'add', 'origin', origin);
  git('push', '-q', 'origin', 'main');
  git('checkout', '-q', '-b', 'pull-request');
  git('fetch', '-q', 'origin');
  return { dir, outside, git, write, commit };
}

const text = (content: string | object) =>
  typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`;

/**
 * A dated recording as contract-record writes it: its files and an index.json with every file's
 * SHA-256 (the first `.json` one is the OpenAPI document, the others JSON Schemas), as `files` of a repo.
 */
export function recording(
  date: string,
  files: Record<string, string | object>,
  root = 'docs/design/contracts',
): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = Object.entries(files).map(([path, content], i) => {
    const body = text(content);
    out[`${root}/${date}/${path}`] = body;
    const sha256 = createHash('sha256').update(body).digest('hex');
    return { path, kind: i === 0 ? 'openapi' : 'json-schema', sha256, bytes: Buffer.byteLength(body) };
  });
  out[`${root}/${date}/index.json`] = text({
    schemaVersion: 1,
    date,
    recordedAt: `${date}T09:00:00.000Z`,
    files: entries,
  });
  return out;
}

export function shiftDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
