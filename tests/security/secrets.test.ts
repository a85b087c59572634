// Credentials never reach a file or the log unmasked, and the CLI keeps results private.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '../support/run-action.js';
import { ensureBuilt } from '../support/build.js';
import { NODE24, ROOT } from '../support/paths.js';
import { needsServers } from '../support/servers.js';

needsServers();

let scratch: string;
let server: Server;
let port: number;
const SECRETS = {
  userinfo: 'svc-pass-123xyz',
  apiKey: 'key-abc-987xyz',
  bearer: 'bearer-tok-555xyz',
  xauth: 'xauth-666xyz',
  cookie: 'cookie-777xyz',
  responseToken: 'resp-tok-888xyz',
  setCookie: 'setcookie-999xyz',
};

beforeAll(async () => {
  ensureBuilt();
  scratch = mkdtempSync(join(tmpdir(), 'cc-security-secrets-'));
  // A real service that echoes what it was sent, the way a debug endpoint or an error page does.
  server = createServer((req, res) => {
    if (req.url === '/openapi.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          openapi: '3.0.3',
          info: { title: 'items', version: '1' },
          paths: { '/v1/items': { get: { responses: { 200: { description: 'ok' } } } } },
        }),
      );
      return;
    }
    res.writeHead(200, {
      'content-type': 'application/json',
      'set-cookie': `session=${SECRETS.setCookie}; HttpOnly`,
      'x-policy-decision': 'allow',
    });
    res.end(
      JSON.stringify({
        seen: { authorization: req.headers.authorization, url: req.url },
        token: SECRETS.responseToken,
        items: [1, 2],
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
}, 180_000);
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(scratch, { recursive: true, force: true });
});

function allFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('contract-record never writes or prints credentials', () => {
  it('user-info, key parameters, auth headers and echoed tokens are redacted; the samples stay valid JSON', async () => {
    const endpoints = [
      'services:',
      '  - name: items',
      `    url: http://svc-user:${SECRETS.userinfo}@127.0.0.1:${port}`,
      '    documents: [/openapi.json]',
      '    requests:',
      '      - name: list',
      `        path: /v1/items?api_key=${SECRETS.apiKey}&page=1`,
      '        headers:',
      `          Authorization: Bearer ${SECRETS.bearer}`,
      `          X-Service-Auth: ${SECRETS.xauth}`,
      `          Cookie: session=${SECRETS.cookie}`,
      '        capture: [Set-Cookie, X-Policy-Decision]',
    ].join('\n');
    const run = await runAction('contract-record', {
      inputs: { endpoints, date: '2026-12-02', commit: 'false' },
      timeoutMs: 60_000,
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const dir = join(run.dirs.workspace, 'docs/design/contracts/2026-12-02');
    const written = [...allFiles(dir), run.outputs['result-path']!];
    expect(written.length).toBeGreaterThan(3);
    const log =
      run.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n') + run.stderr;
    for (const [what, secret] of Object.entries(SECRETS)) {
      for (const f of written) expect(readFileSync(f, 'utf8'), `${what} in ${f}`).not.toContain(secret);
      expect(run.summary, `${what} in the summary`).not.toContain(secret);
      expect(log, `${what} in the log`).not.toContain(secret);
    }
    // The bare token of `Authorization: Bearer X` is a secret of its own.
    expect(run.masks).toEqual(expect.arrayContaining([SECRETS.bearer, SECRETS.userinfo, SECRETS.apiKey]));
    const sample = JSON.parse(readFileSync(join(dir, 'items/samples/list.json'), 'utf8'));
    expect(sample.request).toMatchObject({
      path: '/v1/items?api_key=***&page=1',
      url: `http://svc-user:***@127.0.0.1:${port}/v1/items?api_key=***&page=1`,
      headers: { Authorization: '***', 'X-Service-Auth': '***', Cookie: '***' },
    });
    expect(sample.response.headers).toMatchObject({ 'Set-Cookie': '***', 'X-Policy-Decision': 'allow' });
    expect(sample.response.body).toMatchObject({
      token: '***',
      items: [1, 2],
      seen: { authorization: '***' },
    });
  });
});

describe('the CLI keeps results private and per session', () => {
  const cli = (cwd: string, args: string[], env: Record<string, string>) =>
    spawnSync(NODE24, [join(ROOT, 'bin/command-center.js'), ...args], {
      cwd,
      encoding: 'utf8',
      env: { PATH: process.env.PATH!, ...env },
      timeout: 120_000,
    });

  it('without RUNNER_TEMP, results go to a 0700 folder of the user, and an earlier session is never archived', () => {
    const home = mkdtempSync(join(scratch, 'home-'));
    const ws = mkdtempSync(join(scratch, 'ws-'));
    const state = join(home, '.local/state/command-center/cli');
    // Yesterday's session left a failed smoke result behind.
    mkdirSync(join(state, '2026-12-01/command-center'), { recursive: true });
    const stale = {
      action: 'smoke-suite',
      schemaVersion: 1,
      status: 'failure',
      startedAt: '',
      finishedAt: '',
      run: {},
      result: {},
    };
    writeFileSync(join(state, '2026-12-01/command-center/smoke-suite.json'), JSON.stringify(stale));
    // Today's session has a passing one.
    mkdirSync(join(state, '2026-12-02/command-center'), { recursive: true });
    writeFileSync(
      join(state, '2026-12-02/command-center/smoke-suite.json'),
      JSON.stringify({ ...stale, status: 'success' }),
    );
    const env = { HOME: home, COMMAND_CENTER_SESSION: '2026-12-02' };
    const first = cli(
      ws,
      ['evidence-archive', '--date', '2026-12-02', '--commit', 'false', '--artifact', 'false'],
      env,
    );
    expect(first.status, first.stdout + first.stderr).toBe(0);
    expect(statSync(join(home, '.local/state/command-center')).mode & 0o777).toBe(0o700);
    expect(statSync(join(state, '2026-12-02')).mode & 0o777).toBe(0o700);
    const report = readFileSync(join(ws, 'docs/sprints/status/2026-12-02.md'), 'utf8');
    expect(report).toContain('✅ **All 1 step(s) succeeded.**');
    expect(first.stdout).toMatch(/The archived results moved to .*2026-12-02\/command-center\/archived\//);
    expect(readdirSync(join(state, '2026-12-02/command-center')).filter((n) => n.endsWith('.json'))).toEqual([
      'evidence-archive.json',
    ]);
    expect(existsSync(join(state, '2026-12-01/command-center/smoke-suite.json'))).toBe(true);
  });
});
