import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runAction, type ActionRun } from '../support/run-action.js';
import { ensureBuilt } from '../support/build.js';
import { needsServers, requireServer } from '../support/servers.js';
import { STAGING, TOPICS, endpointsYaml, requireStaging } from '../fixtures/contracts/staging.js';

needsServers('kafka', 'staging');

describe('contract-record against the real staging services and topics', () => {
  let kafka: string;
  let run: ActionRun;
  let dir: string;
  const date = '2026-11-25';

  beforeAll(async () => {
    ensureBuilt();
    kafka = await requireServer('kafka');
    await requireStaging();
    run = await runAction('contract-record', { inputs: { endpoints: endpointsYaml(kafka), date } });
    dir = join(run.dirs.workspace, 'docs/design/contracts', date);
  }, 180_000);

  it('records every document, sample, bundle and topic, and says so in its outputs', () => {
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.outputs['output-dir']).toBe(`docs/design/contracts/${date}`);
    expect(run.outputs['signatures-verified']).toBe('true');
    for (const svc of ['policy-engine', 'constitution', 'orchestrator']) {
      for (const doc of ['openapi.json', 'asyncapi.json']) expect(existsSync(join(dir, svc, doc))).toBe(true);
    }
    for (const t of TOPICS) {
      expect(existsSync(join(dir, 'topics', `${t}.schema.json`))).toBe(true);
      expect(existsSync(join(dir, 'topics', `${t}.messages.json`))).toBe(true);
    }
  });

  it('writes documents normalized: identical to the served document with keys sorted at every level', async () => {
    const served = await (await fetch(`${STAGING.policy}/openapi.json`)).json();
    const recorded = readFileSync(join(dir, 'policy-engine/openapi.json'), 'utf8');
    expect(JSON.parse(recorded)).toEqual(served);
    const keysSorted = (v: unknown): boolean =>
      Array.isArray(v)
        ? v.every(keysSorted)
        : v !== null && typeof v === 'object'
          ? Object.keys(v).every((k, i, a) => i === 0 || a[i - 1]! <= k) && Object.values(v).every(keysSorted)
          : true;
    expect(keysSorted(JSON.parse(recorded))).toBe(true);
    expect(recorded.endsWith('}\n')).toBe(true);
  });

  it('index.json holds the SHA-256 of every file, the README included', () => {
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
      files: { path: string; sha256: string; kind: string }[];
    };
    expect(index.files.map((f) => f.path)).toContain('README.md');
    expect(index.files.length).toBe(Number(run.outputs.files) - 1);
    for (const f of index.files)
      expect(
        createHash('sha256')
          .update(readFileSync(join(dir, f.path)))
          .digest('hex'),
      ).toBe(f.sha256);
  });

  it('records request/response pairs as plain JSON with the policy headers and no credentials', () => {
    const allow = JSON.parse(readFileSync(join(dir, 'policy-engine/samples/evaluate-allow.json'), 'utf8'));
    const deny = JSON.parse(readFileSync(join(dir, 'policy-engine/samples/evaluate-deny.json'), 'utf8'));
    expect(allow.request).toMatchObject({
      method: 'POST',
      path: '/v1/evaluate',
      headers: { Authorization: '***' },
    });
    expect(allow.response.status).toBe(200);
    expect(allow.response.headers['X-Policy-Decision']).toBe('allow');
    expect(allow.response.body.allowed).toBe(true);
    expect(deny.response.headers['X-Policy-Decision']).toBe('deny');
    expect(Number(deny.response.headers['X-Policy-Score'])).toBe(deny.response.body.score);
    expect(deny.response.headers['X-Constitution-Hash']).toMatch(/^[0-9a-f]{64}$/);
    // The token never reaches a file or the log unmasked.
    const grep = spawnSync('grep', ['-rl', 'cc-e2e-secret-token', run.dirs.workspace], { encoding: 'utf8' });
    expect(grep.status).toBe(1); // no file holds it
    expect(
      run.stdout
        .split('\n')
        .filter((l) => l.includes('cc-e2e-secret-token') && !l.startsWith('::add-mask::')),
    ).toEqual([]);
  });

  it('verifies the constitution bundle signature with the published key and records the result', async () => {
    const b = JSON.parse(readFileSync(join(dir, 'constitution/bundles/acme.json'), 'utf8'));
    const keys = (await (await fetch(`${STAGING.constitution}/v1/keys`)).json()) as {
      keys: { key_id: string }[];
    };
    expect(b.verification).toMatchObject({
      algorithm: 'Ed25519',
      hashMatches: true,
      keyIdMatches: true,
      keyPublished: true,
      signatureValid: true,
      verified: true,
    });
    expect(keys.keys.map((k) => k.key_id)).toContain(b.verification.keyId);
    expect(b.bundle.bundle.tenant).toBe('acme');
  });

  it('samples the newest messages of each topic, infers their schema and checks them against the AsyncAPI payloads', () => {
    for (const t of TOPICS) {
      const m = JSON.parse(readFileSync(join(dir, 'topics', `${t}.messages.json`), 'utf8'));
      expect(m.sampled).toBe(8);
      expect(m.conformsTo).toMatch(/asyncapi\.json#\/channels\//);
      for (const msg of m.messages) {
        expect(msg.conforms).toBe(true);
        expect(msg.headers.trace_id).toBeTruthy();
      }
      // Newest first.
      const times = m.messages.map((x: { timestamp: string }) => Date.parse(x.timestamp));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      const schema = JSON.parse(readFileSync(join(dir, 'topics', `${t}.schema.json`), 'utf8'));
      expect(schema.type).toBe('object');
      expect(schema.required).toEqual(expect.arrayContaining(['event_id', 'timestamp']));
      expect(schema.properties.event_id.format).toBe('uuid');
      expect(schema.properties.timestamp.format).toBe('date-time');
    }
  });

  it('describes every schema and topic in the README, with field tables', () => {
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    const openapi = JSON.parse(readFileSync(join(dir, 'policy-engine/openapi.json'), 'utf8'));
    expect(readme).toContain('## policy-engine');
    expect(readme).toContain(
      `${Object.values(openapi.paths).flatMap((p) => Object.keys(p as object)).length} operation(s)`,
    );
    expect(readme).toMatch(/#### Schema: POST \/v1\/evaluate request \(application\/json\)/);
    expect(readme).toMatch(/\| `role` \| string \| yes \| one of `guest`, `user`, `operator`/);
    expect(readme).toContain('| field | type | required | values and limits | description | example |');
    for (const t of TOPICS) expect(readme).toContain(`### Schema: ${t} (inferred)`);
    expect(readme).toContain('[acme](constitution/bundles/acme.json)');
    expect(readme).toContain('✅');
  });

  it('a re-recording of unchanged documents is byte-identical', async () => {
    const first = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
      files: { path: string; sha256: string }[];
    };
    const again = await runAction('contract-record', {
      inputs: { endpoints: endpointsYaml(kafka), date },
      workspace: run.dirs.workspace,
    });
    expect(again.exitCode).toBe(0);
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as typeof first;
    expect(index).not.toBe(first);
    const docs = (i: typeof index) =>
      i.files.filter((f) => /(openapi|asyncapi)\.json$/.test(f.path)).map((f) => `${f.path}:${f.sha256}`);
    expect(docs(index)).toEqual(docs(first));
    expect(docs(index)).toHaveLength(6);
  });
});

describe('contract-record failures name the service and URL', () => {
  beforeAll(() => ensureBuilt(), 120_000);

  it('a service that is down', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const run = await runAction('contract-record', {
      inputs: {
        endpoints: `services:\n  - name: ghost\n    url: http://127.0.0.1:${port}\n    documents: [/openapi.json]\n`,
        date: '2026-11-25',
      },
    });
    expect(run.exitCode).toBe(1);
    const err = run.annotations.find((a) => a.level === 'error')!;
    expect(err.message).toContain(
      `service ghost: GET http://127.0.0.1:${port}/openapi.json failed: ECONNREFUSED`,
    );
    expect(existsSync(join(run.dirs.workspace, 'docs/design/contracts/2026-11-25'))).toBe(false);
  });

  it('a document that is not a valid spec', async () => {
    await requireStaging();
    const run = await runAction('contract-record', {
      inputs: {
        endpoints: `services:\n  - name: policy-engine\n    url: ${STAGING.policy}\n    documents: [/health]\n`,
        date: '2026-11-25',
      },
    });
    expect(run.exitCode).toBe(1);
    const err = run.annotations.find((a) => a.level === 'error')!;
    expect(err.message).toMatch(/service policy-engine: .*\/health is not a contract/);
  });

  it('commits the recording to a real bare repository, only the recording', async () => {
    await requireStaging();
    const kafka = await requireServer('kafka');
    const tmp = mkdtempSync(join(tmpdir(), 'cc-record-git-'));
    const origin = join(tmp, 'origin.git');
    const ws = join(tmp, 'ws');
    const g = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
    g(tmp, 'init', '-q', '--bare', '-b', 'main', origin);
    g(tmp, 'clone', '-q', origin, ws);
    g(
      ws,
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@example.com',
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      'start',
    );
    g(ws, 'push', '-q', 'origin', 'main');
    writeFileSync(join(ws, 'stray.txt'), 'not part of the recording\n');
    const run = await runAction('contract-record', {
      workspace: ws,
      inputs: { endpoints: endpointsYaml(kafka), date: '2026-11-26', commit: 'true', branch: 'main' },
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['commit-sha']).toMatch(/^[0-9a-f]{40}$/);
    const files = g(ws, '--git-dir', origin, 'ls-tree', '-r', '--name-only', 'main').split('\n');
    expect(files).toContain('docs/design/contracts/2026-11-26/index.json');
    expect(files).toContain('docs/design/contracts/2026-11-26/README.md');
    expect(files).not.toContain('stray.txt');
    expect(g(ws, '--git-dir', origin, 'rev-parse', 'main')).toBe(run.outputs['commit-sha']);
  });
});
