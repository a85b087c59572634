import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../support/run-action.js';
import { ensureBuilt } from '../support/build.js';
import { needsServers, requireServer } from '../support/servers.js';
import { dateInZone } from '../../src/lib/dates.js';
import { endpointsYaml, requireStaging } from '../fixtures/contracts/staging.js';

needsServers('kafka', 'staging');

// Record the real staging contracts, then change a declared copy the way a pull request would.
const DATE = '2026-11-20';
const TZ = 'America/Los_Angeles';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function shiftDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The 1-based line of the first line containing `text` after the lines containing each of `after`, in order. */
function lineAfter(file: string, after: string[], text: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  let i = 0;
  for (const a of after) {
    while (i < lines.length && !lines[i]!.includes(a)) i++;
    i++;
  }
  while (i < lines.length && !lines[i]!.includes(text)) i++;
  if (i >= lines.length) throw new Error(`${text} not found in ${file}`);
  return i + 1;
}

describe('design-drift on contracts recorded from staging', () => {
  let ws: string;
  let recorded: Json;
  let asyncRecorded: Json;
  const g = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
      cwd: ws,
      encoding: 'utf8',
    }).trim();
  const declare = (doc: Json, file = 'specs/policy-engine.yaml') => {
    mkdirSync(join(ws, 'specs'), { recursive: true });
    writeFileSync(join(ws, file), stringify(doc, { aliasDuplicateObjects: false }));
    return join(ws, file);
  };
  const drift = (inputs: Record<string, string> = {}, env: Record<string, string> = {}) =>
    runAction('design-drift', { workspace: ws, inputs: { declared: 'specs/*.yaml', ...inputs }, env });
  const evaluate200 = (doc: Json) =>
    doc.paths['/v1/evaluate'].post.responses['200'].content['application/json'].schema;

  beforeAll(async () => {
    ensureBuilt();
    const kafka = await requireServer('kafka');
    await requireStaging();
    const rec = await runAction('contract-record', {
      inputs: { endpoints: endpointsYaml(kafka), date: DATE },
    });
    if (rec.exitCode !== 0)
      throw new Error(
        `contract-record failed (is staging up? \`npm run stack:up\`): ${rec.stdout.slice(-2000)}`,
      );
    ws = rec.dirs.workspace;
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: ws });
    const dir = join(ws, 'docs/design/contracts', DATE);
    recorded = JSON.parse(readFileSync(join(dir, 'policy-engine/openapi.json'), 'utf8'));
    asyncRecorded = JSON.parse(readFileSync(join(dir, 'policy-engine/asyncapi.json'), 'utf8'));
    declare(recorded);
    g('add', '-A');
    g('commit', '-q', '-m', 'recorded contracts and the declared copy');
  }, 240_000);

  it('an unchanged declared copy is no drift', async () => {
    declare(recorded);
    const run = await drift();
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ breaking: '0', 'non-breaking': '0', changes: '0', failed: 'false' });
    expect(run.summary).toContain('no drift');
    const result = JSON.parse(readFileSync(run.outputs['result-path']!, 'utf8'));
    expect(result.result.documents[0]).toMatchObject({
      declared: 'specs/policy-engine.yaml',
      recorded: `docs/design/contracts/${DATE}/policy-engine/openapi.json`,
      matchedBy: 'title',
    });
  });

  it('renaming a response field fails with the right rule on the right line', async () => {
    const doc = structuredClone(recorded);
    const s = evaluate200(doc);
    s.properties.level = s.properties.severity;
    delete s.properties.severity;
    s.required = s.required.map((r: string) => (r === 'severity' ? 'level' : r));
    const file = declare(doc);
    const run = await drift({ owner: 'Governance Core', runbook: 'docs/runbooks/contracts.md' });
    expect(run.exitCode).toBe(1);
    const removed = run.annotations.find(
      (a) =>
        a.level === 'error' && a.properties.title === 'breaking drift: openapi.response.property.removed',
    )!;
    expect(removed).toBeDefined();
    expect(removed.properties.file).toBe('specs/policy-engine.yaml');
    // The removal is reported where the response's properties are declared.
    expect(Number(removed.properties.line)).toBe(
      lineAfter(file, ['/v1/evaluate:', '"200":', 'schema:'], 'properties:'),
    );
    expect(removed.message).toContain('severity');
    expect(removed.message).toContain('POST /v1/evaluate');
    expect(removed.message).toContain('owner: Governance Core');
    const added = run.annotations.find(
      (a) => a.properties.title === 'non-breaking drift: openapi.response.property.required-added',
    )!;
    expect(Number(added.properties.line)).toBe(
      lineAfter(file, ['/v1/evaluate:', '"200":', 'schema:', 'properties:'], 'level:'),
    );
    expect(run.outputs.failed).toBe('true');
    expect(run.summary).toContain('| 🔴 breaking | `openapi.response.property.removed` |');
    const error = run.annotations.filter((a) => a.level === 'error' && !a.properties.file);
    expect(error[0]!.message).toMatch(/design-drift: \d+ breaking change\(s\)/);
  });

  it('an additive change passes', async () => {
    const doc = structuredClone(recorded);
    evaluate200(doc).properties.explanation = { type: 'string', description: 'Why, in words.' };
    declare(doc);
    const run = await drift();
    expect(run.exitCode).toBe(0);
    expect(run.outputs.breaking).toBe('0');
    expect(Number(run.outputs['non-breaking'])).toBeGreaterThanOrEqual(1);
    expect(
      run.annotations.some(
        (a) =>
          a.level === 'warning' &&
          a.properties.title === 'non-breaking drift: openapi.response.property.added',
      ),
    ).toBe(true);
  });

  it('a waiver silences the finding until its expiry date; after it the check fails naming the waiver', async () => {
    const doc = structuredClone(recorded);
    const s = evaluate200(doc);
    delete s.properties.severity;
    s.required = s.required.filter((r: string) => r !== 'severity');
    declare(doc);
    const today = dateInZone(new Date(), TZ);
    const waiver = (expires: string) =>
      `- rule: openapi.response.property.removed\n  path: POST /v1/evaluate\n  reason: severity moved to the decision event\n  owner: Governance Core\n  expires: ${expires}\n`;

    writeFileSync(join(ws, 'waivers.yaml'), waiver(today));
    const active = await drift({ waivers: 'waivers.yaml', timezone: TZ });
    expect(active.exitCode).toBe(0);
    expect(active.outputs.breaking).toBe('0');
    expect(Number(active.outputs.waived)).toBeGreaterThanOrEqual(1);
    expect(active.summary).toContain(
      `until ${today} (Governance Core): severity moved to the decision event`,
    );

    const yesterday = shiftDays(today, -1);
    writeFileSync(join(ws, 'waivers.yaml'), waiver(yesterday));
    const expired = await drift({ waivers: 'waivers.yaml', timezone: TZ });
    expect(expired.exitCode).toBe(1);
    const err = expired.annotations.find((a) => a.level === 'error' && !a.properties.file)!;
    expect(err.message).toContain(
      `waiver for openapi.response.property.removed at POST /v1/evaluate (owner Governance Core) expired on ${yesterday}`,
    );
  });

  it('the bypass label lets breaking drift pass and the summary records its use', async () => {
    const doc = structuredClone(recorded);
    delete evaluate200(doc).properties.score;
    declare(doc);
    const event = join(ws, '..', 'event.json');
    writeFileSync(
      event,
      JSON.stringify({ pull_request: { number: 7, labels: [{ name: 'contract-change-approved' }] } }),
    );
    const run = await drift({ 'bypass-label': 'contract-change-approved' }, { GITHUB_EVENT_PATH: event });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.failed).toBe('bypassed');
    expect(run.summary).toContain('Bypass used');
    const result = JSON.parse(readFileSync(run.outputs['result-path']!, 'utf8'));
    expect(result.result.bypass).toMatchObject({ label: 'contract-change-approved', used: true });
    // Without the label on the pull request the same drift fails.
    writeFileSync(event, JSON.stringify({ pull_request: { number: 7, labels: [{ name: 'docs' }] } }));
    expect(
      (await drift({ 'bypass-label': 'contract-change-approved' }, { GITHUB_EVENT_PATH: event })).exitCode,
    ).toBe(1);
  });

  it('compares with the base ref as well, listing those changes apart', async () => {
    const doc = structuredClone(recorded);
    delete doc.paths['/v1/evaluate'].post.responses['200'].headers['X-Policy-Score'];
    declare(doc);
    const run = await drift({ 'base-ref': 'HEAD' });
    expect(run.exitCode).toBe(1);
    expect(run.summary).toContain('### Changelog: declared vs base ref `HEAD`');
    const result = JSON.parse(readFileSync(run.outputs['result-path']!, 'utf8'));
    const against = new Set(result.result.changes.map((c: { against: string }) => c.against));
    expect(against).toEqual(new Set(['recorded', 'base-ref']));
    expect(result.result.documents[0].baseRef).toBe('compared');
  });

  it('an AsyncAPI payload field removed from what the service sends is breaking', async () => {
    const doc = structuredClone(asyncRecorded);
    const channel = Object.values(doc.channels as Json).find(
      (c) => (c as Json).address === 'policy.decisions',
    ) as Json;
    const [name, msg] = Object.entries(channel.messages as Json)[0] as [string, Json];
    const payload = msg.payload;
    expect(payload.properties.event_id).toBeDefined();
    delete payload.properties.event_id;
    payload.required = (payload.required ?? []).filter((r: string) => r !== 'event_id');
    declare(recorded);
    const file = declare(doc, 'specs/events.yaml');
    const run = await drift({ recorded: `docs/design/contracts/${DATE}` });
    expect(run.exitCode).toBe(1);
    const hit = run.annotations.find(
      (a) =>
        a.properties.file === 'specs/events.yaml' &&
        a.properties.title === 'breaking drift: asyncapi.message.property.removed',
    )!;
    expect(hit).toBeDefined();
    expect(hit.message).toContain('event_id');
    expect(readFileSync(file, 'utf8').split('\n')[Number(hit.properties.line) - 1]).toMatch(/properties:/);
    expect(name.length).toBeGreaterThan(0);
  });
});
