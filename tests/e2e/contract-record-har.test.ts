// The HAR files contract-record writes replay in a real browser: Playwright's routeFromHAR serves a
// page's requests from the recording while the recorded service is unreachable. And each service's
// runbook is recorded beside its captured policy headers and verified bundles.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { findBrowser, LAUNCH_ARGS } from '../../src/lib/browser/screenshot.js';
import type { Har } from '../../src/lib/contracts/har.js';
import type { RecordingIndex } from '../../src/lib/contracts/recording.js';
import { ensureBuilt } from '../support/build.js';
import { runAction, type ActionRun } from '../support/run-action.js';
import { needsServers } from '../support/servers.js';
import { STAGING, TOKEN, requireStaging } from '../fixtures/contracts/staging.js';

needsServers('staging');

/** A pass-through TCP relay to a real service: the test records through it, then closes it. */
async function relayTo(target: string): Promise<{ port: number; close: () => Promise<void> }> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect({ host: hostname, port: Number(port) });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const date = '2026-11-28';
const allowBody = {
  session_id: 'cc-har-1',
  tenant: 'acme',
  user: 'ada',
  prompt: 'What are the opening hours?',
  role: 'user',
};

describe('contract-record HAR recordings replay in Chromium with the service gone', () => {
  let run: ActionRun;
  let dir: string;
  let serviceUrl: string;

  beforeAll(async () => {
    ensureBuilt();
    await requireStaging();
    const relay = await relayTo(STAGING.policy);
    serviceUrl = `http://127.0.0.1:${relay.port}`;
    try {
      run = await runAction('contract-record', {
        inputs: {
          date,
          endpoints: `services:
  - name: policy-engine
    url: ${serviceUrl}
    squad: Governance Core
    documents: [/openapi.json]
    requests:
      - name: evaluate-allow
        method: POST
        path: /v1/evaluate
        headers: { Authorization: "${TOKEN}" }
        body: ${JSON.stringify(allowBody)}
        capture: [X-Policy-Decision, X-Policy-Score, X-Constitution-Hash]
  - name: constitution
    url: ${STAGING.constitution}
    squad: Governance Core
    runbook: docs/runbooks/integration-day.md#governance
    bundles:
      - { name: acme, path: /v1/constitution/acme, keys: /v1/keys }
`,
        },
        workspaceSetup: (ws) => {
          mkdirSync(join(ws, 'docs/runbooks'), { recursive: true });
          writeFileSync(join(ws, 'docs/runbooks/policy-engine.md'), '# policy-engine runbook\n');
          writeFileSync(join(ws, 'docs/runbooks/integration-day.md'), '# Integration Day\n');
        },
      });
    } finally {
      await relay.close();
    }
    dir = join(run.dirs.workspace, 'docs/design/contracts', date);
  }, 180_000);

  it('writes <service>.har per service, listed in index.json', () => {
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as RecordingIndex;
    const hars = index.files.filter((f) => f.kind === 'har');
    expect(hars.map((f) => f.path)).toEqual(['constitution.har', 'policy-engine.har']);
    const har = JSON.parse(readFileSync(join(dir, 'policy-engine.har'), 'utf8')) as Har;
    expect(har.log.version).toBe('1.2');
    expect(har.log.entries.map((e) => `${e.request.method} ${e.request.url} ${e.response.status}`)).toEqual([
      `GET ${serviceUrl}/openapi.json 200`,
      `POST ${serviceUrl}/v1/evaluate 200`,
    ]);
    const constitution = JSON.parse(readFileSync(join(dir, 'constitution.har'), 'utf8')) as Har;
    expect(constitution.log.entries.map((e) => e.request.url)).toEqual([
      `${STAGING.constitution}/v1/constitution/acme`,
      `${STAGING.constitution}/v1/keys`,
    ]);
  });

  it('redacts the Authorization header in the HAR exactly as in the JSON sample, and the token is nowhere', () => {
    const har = JSON.parse(readFileSync(join(dir, 'policy-engine.har'), 'utf8')) as Har;
    const sample = JSON.parse(readFileSync(join(dir, 'policy-engine/samples/evaluate-allow.json'), 'utf8'));
    const post = har.log.entries.find((e) => e.request.method === 'POST')!;
    expect(post.request.headers).toContainEqual({
      name: 'Authorization',
      value: sample.request.headers.Authorization,
    });
    expect(sample.request.headers.Authorization).toBe('***');
    expect(readFileSync(join(dir, 'policy-engine.har'), 'utf8')).not.toContain(TOKEN.split(' ')[1]);
    // The response the HAR holds is the one the JSON sample holds.
    expect(JSON.parse(post.response.content.text)).toEqual(sample.response.body);
    expect(post.response.headers).toContainEqual({
      name: 'x-policy-decision',
      value: sample.response.headers['X-Policy-Decision'],
    });
  });

  it('a page in system Chromium gets the recorded bodies from routeFromHAR while the service port is closed', async () => {
    // Nothing answers at the recorded address any more.
    const direct = await fetch(`${serviceUrl}/openapi.json`).then(
      () => 'answered',
      (err: Error & { cause?: { code?: string } }) => err.cause?.code ?? err.message,
    );
    expect(direct).toBe('ECONNREFUSED');

    const har = JSON.parse(readFileSync(join(dir, 'policy-engine.har'), 'utf8')) as Har;
    const recorded = (method: string) => har.log.entries.find((e) => e.request.method === method)!.response;
    const profile = await mkdtemp(join(tmpdir(), 'cc-har-chromium-'));
    // A fresh profile, as the screenshots use: the system browser, never a downloaded one.
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: findBrowser(),
      headless: true,
      args: LAUNCH_ARGS,
    });
    try {
      await context.routeFromHAR(join(dir, 'policy-engine.har'), { notFound: 'abort' });
      const page = await context.newPage();
      await page.goto('data:text/html,<title>fixture</title><p>recording replay</p>');
      const evaluated = page.waitForResponse(
        (r) => r.url() === `${serviceUrl}/v1/evaluate` && r.request().method() === 'POST',
      );
      const got = await page.evaluate(
        async ({ base, body }) => {
          const doc = await fetch(`${base}/openapi.json`);
          const evaluate = await fetch(`${base}/v1/evaluate`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          const missing = await fetch(`${base}/not-recorded`).then(
            (r) => `answered ${r.status}`,
            () => 'aborted',
          );
          return {
            doc: { status: doc.status, text: await doc.text() },
            evaluate: {
              status: evaluate.status,
              type: evaluate.headers.get('content-type'),
              text: await evaluate.text(),
            },
            missing,
          };
        },
        { base: serviceUrl, body: allowBody },
      );
      expect(got.doc).toEqual({ status: 200, text: recorded('GET').content.text });
      expect(JSON.parse(got.doc.text).openapi).toMatch(/^3\./);
      expect(got.evaluate.status).toBe(200);
      expect(got.evaluate.text).toBe(recorded('POST').content.text);
      expect(JSON.parse(got.evaluate.text).allowed).toBe(true);
      expect(got.evaluate.type).toMatch(/^application\/json/);
      // CORS hides custom headers from the page's script; the browser got the recorded policy headers.
      expect((await evaluated).headers()['x-policy-decision']).toBe('allow');
      // notFound: 'abort': what the recording does not hold fails, it is not fetched from anywhere.
      expect(got.missing).toBe('aborted');
    } finally {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    }
  }, 120_000);

  it("records each service's runbook beside its captured policy headers and verified bundles", () => {
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as RecordingIndex;
    const policy = index.services!.find((s) => s.name === 'policy-engine')!;
    const constitution = index.services!.find((s) => s.name === 'constitution')!;
    // The default when the repository has docs/runbooks/<service>.md; the configured one otherwise.
    expect(policy.runbook).toBe('docs/runbooks/policy-engine.md');
    expect(policy.har).toBe('policy-engine.har');
    expect(policy.headers).toHaveLength(1);
    expect(policy.headers[0]!.captured['X-Policy-Decision']).toBe('allow');
    expect(policy.headers[0]!.captured['X-Constitution-Hash']).toMatch(/^[0-9a-f]{64}$/);
    expect(constitution.runbook).toBe('docs/runbooks/integration-day.md#governance');
    expect(constitution.bundles).toEqual([
      expect.objectContaining({ name: 'acme', path: 'constitution/bundles/acme.json', verified: true }),
    ]);
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme).toContain(
      'Runbook: [docs/runbooks/policy-engine.md](../../../runbooks/policy-engine.md).',
    );
    expect(readme).toContain(
      'Runbook: [docs/runbooks/integration-day.md#governance](../../../runbooks/integration-day.md#governance).',
    );
    const result = JSON.parse(readFileSync(run.outputs['result-path']!, 'utf8'));
    expect(result.result?.services ?? result.services).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'policy-engine', runbook: 'docs/runbooks/policy-engine.md' }),
      ]),
    );
  });

  it('a runbook path the repository does not have is refused before anything is recorded', async () => {
    const bad = await runAction('contract-record', {
      inputs: {
        date,
        endpoints: `services:\n  - name: constitution\n    url: ${STAGING.constitution}\n    runbook: docs/runbooks/nowhere.md\n`,
      },
    });
    expect(bad.exitCode).toBe(1);
    expect(bad.annotations.find((a) => a.level === 'error')!.message).toContain(
      "input 'endpoints': services[0] (constitution) names runbook docs/runbooks/nowhere.md, but docs/runbooks/nowhere.md is not in the repository",
    );
  });
});
