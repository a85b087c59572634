import { generateKeyPairSync, sign, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffContracts, loadContract } from '../../src/lib/contracts/diff.js';
import { eventsLocator, jsonLocator, yamlLocator } from '../../src/lib/contracts/positions.js';
import { parseEvents } from 'js-yaml';
import { parse as parseYaml } from 'yaml';
import { inferSchema } from '../../src/lib/contracts/infer.js';
import { canonicalJson, normalizedJson } from '../../src/lib/contracts/normalize.js';
import { verifyBundle } from '../../src/lib/contracts/signature.js';
import { topicPayloads } from '../../src/lib/contracts/conformance.js';
import { describeSchema } from '../../src/lib/contracts/readme.js';
import { OPENAPI_PAIRS_DIR } from '../support/oasdiff.js';

function tmp(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cc-contracts-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function diff(dir: string, base: string, rev: string, opts = {}) {
  return diffContracts(
    await loadContract(base, join(dir, base), opts),
    await loadContract(rev, join(dir, rev), opts),
  );
}

function pointers(v: unknown, p = ''): string[] {
  if (v === null || typeof v !== 'object') return [p];
  const own = Array.isArray(v)
    ? v.map((x, i) => pointers(x, `${p}/${i}`))
    : Object.entries(v).map(([k, x]) => pointers(x, `${p}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`));
  return [p, ...own.flat()];
}

describe('line locators', () => {
  it('the JSON scanner agrees with the YAML parser on every pointer of the JSON corpus files', () => {
    const dir = readdirSync(OPENAPI_PAIRS_DIR).find((d) => d.endsWith('-json'))!;
    for (const f of ['base.json', 'revision.json']) {
      const text = readFileSync(join(OPENAPI_PAIRS_DIR, dir, f), 'utf8');
      const fast = jsonLocator(text)!;
      const slow = yamlLocator(text);
      const all = pointers(JSON.parse(text));
      expect(all.length).toBeGreaterThan(150);
      for (const p of all) expect([p, fast.line(p)]).toEqual([p, slow.line(p)]);
    }
  });

  it('the YAML event locator agrees with the YAML document parser on every pointer of every YAML corpus file', () => {
    let checked = 0;
    for (const dir of readdirSync(OPENAPI_PAIRS_DIR)) {
      for (const f of ['base.yaml', 'revision.yaml']) {
        let text: string;
        try {
          text = readFileSync(join(OPENAPI_PAIRS_DIR, dir, f), 'utf8');
        } catch {
          continue;
        }
        const fast = eventsLocator(text, parseEvents(text, {}))!;
        const slow = yamlLocator(text);
        for (const p of pointers(parseYaml(text))) {
          if (fast.line(p) !== slow.line(p))
            expect([dir, f, p, fast.line(p)]).toEqual([dir, f, p, slow.line(p)]);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('maps flow collections, block scalars, quoted keys and anchors in YAML', () => {
    const text = [
      'a:',
      '  "quoted/key": {x: 1, y: [2, 3]}',
      '  text: |',
      '    line one',
      '    line two',
      '  list:',
      '  - &anchor',
      '    k: v',
      '  - *anchor',
      "  'single': 'v'",
      '',
    ].join('\n');
    const fast = eventsLocator(text, parseEvents(text, {}))!;
    const slow = yamlLocator(text);
    for (const p of [
      '/a',
      '/a/quoted~1key',
      '/a/quoted~1key/x',
      '/a/quoted~1key/y/1',
      '/a/text',
      '/a/list',
      '/a/list/0',
      '/a/list/0/k',
      '/a/list/1',
      '/a/single',
    ]) {
      expect([p, fast.line(p)]).toEqual([p, slow.line(p)]);
    }
  });

  it('falls back to the nearest ancestor for a pointer that is not in the text', () => {
    const loc = jsonLocator('{\n  "a": {\n    "b": 1\n  }\n}\n')!;
    expect(loc.line('/a/b')).toBe(3);
    expect(loc.line('/a/zzz/y')).toBe(2);
  });
});

describe('$ref handling', () => {
  it('refuses external http refs unless allowed, and names the ref', async () => {
    const dir = tmp({
      'a.yaml':
        'openapi: 3.0.3\ninfo: {title: A, version: "1"}\npaths: {}\ncomponents:\n  schemas:\n    X: {$ref: "https://example.invalid/x.json#/X"}\n',
    });
    await expect(loadContract('a.yaml', join(dir, 'a.yaml'))).rejects.toThrow(
      /a\.yaml: \$ref "https:\/\/example\.invalid\/x\.json#\/X" points to .*not fetched .*allow-external-refs/,
    );
  });

  it('refuses local refs that leave the root folder', async () => {
    const dir = tmp({
      'a.yaml':
        'openapi: 3.0.3\ninfo: {title: A, version: "1"}\npaths: {}\ncomponents:\n  schemas:\n    X: {$ref: "../../etc/passwd#/X"}\n',
    });
    await expect(loadContract('a.yaml', join(dir, 'a.yaml'), { root: dir })).rejects.toThrow(/outside/);
  });

  it('ends on schemas that contain themselves (directly and through allOf)', async () => {
    const doc = (extra: string) =>
      `openapi: 3.1.0\ninfo: {title: A, version: "1"}\npaths:\n  /n:\n    get:\n      responses:\n        "200":\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: "#/components/schemas/Node"}\ncomponents:\n  schemas:\n    Node:\n      allOf: [{$ref: "#/components/schemas/Base"}]\n      properties:\n        next: {$ref: "#/components/schemas/Node"}\n${extra}\n    Base:\n      type: object\n      properties:\n        self: {$ref: "#/components/schemas/Node"}\n        id: {type: string}\n`;
    const dir = tmp({ 'b.yaml': doc(''), 'r.yaml': doc('        label: {type: string}') });
    const changes = await diff(dir, 'b.yaml', 'r.yaml');
    expect(changes.map((c) => c.rule)).toEqual(['openapi.response.property.added']);
  });
});

describe('AsyncAPI', () => {
  const v2 = (payload: string) =>
    `asyncapi: 2.6.0\ninfo: {title: Events, version: "1"}\nchannels:\n  policy.decisions:\n    subscribe:\n      message: {$ref: "#/components/messages/Decision"}\n  commands:\n    publish:\n      message:\n        name: Command\n        payload: {type: object, required: [cmd], properties: {cmd: {type: string, enum: [a, b]}}}\ncomponents:\n  messages:\n    Decision:\n      name: Decision\n      payload:\n${payload}\n`;
  const v3 = `asyncapi: 3.0.0\ninfo: {title: Events, version: "1"}\nchannels:\n  decisions:\n    address: policy.decisions\n    messages:\n      Decision:\n        name: Decision\n        payload: {type: object, required: [allowed], properties: {allowed: {type: boolean}, score: {type: number}}}\n  cmds:\n    address: commands\n    messages:\n      Command:\n        name: Command\n        payload: {type: object, required: [cmd], properties: {cmd: {type: string, enum: [a, b]}}}\noperations:\n  sendDecision: {action: send, channel: {$ref: "#/channels/decisions"}}\n  receiveCommand: {action: receive, channel: {$ref: "#/channels/cmds"}}\n`;

  it('classifies payload changes by direction: what the service sends vs what it receives', async () => {
    const base =
      '        type: object\n        required: [allowed]\n        properties: {allowed: {type: boolean}, score: {type: number}}';
    const rev =
      '        type: object\n        required: [allowed]\n        properties: {allowed: {type: boolean}, score: {type: number}, reason: {type: string}}';
    const dir = tmp({ 'b.yaml': v2(base), 'r.yaml': v2(rev).replace('enum: [a, b]', 'enum: [a]') });
    const changes = await diff(dir, 'b.yaml', 'r.yaml');
    expect(changes.map((c) => [c.rule, c.level, c.operation])).toEqual([
      ['schema.enum.value-removed', 'breaking', 'receive commands'],
      ['asyncapi.message.property.added', 'non-breaking', 'send policy.decisions'],
    ]);
  });

  it('reads AsyncAPI 2 and 3 as the same contract: a 2 → 3 migration with the same channels is only a version change', async () => {
    const base =
      '        type: object\n        required: [allowed]\n        properties: {allowed: {type: boolean}, score: {type: number}}';
    const dir = tmp({ 'b.yaml': v2(base), 'r.yaml': v3 });
    const changes = await diff(dir, 'b.yaml', 'r.yaml');
    expect(changes.map((c) => c.rule)).toEqual(['contract.spec-version.changed']);
  });

  it('a removed channel and a removed message are breaking', async () => {
    const dir = tmp({
      'b.yaml': v3,
      'r.yaml': v3
        .replace(/  cmds:[\s\S]*?(?=operations:)/, '')
        .replace('  receiveCommand: {action: receive, channel: {$ref: "#/channels/cmds"}}\n', ''),
    });
    const changes = await diff(dir, 'b.yaml', 'r.yaml');
    expect(changes.map((c) => [c.rule, c.level])).toEqual([['asyncapi.channel.removed', 'breaking']]);
  });
});

describe('JSON Schema documents', () => {
  it('are compared as payloads their readers consume', async () => {
    const dir = tmp({
      'b.json': JSON.stringify(
        {
          $schema: 'https://json-schema.org/draft/2020-12/schema',
          title: 'Decision',
          type: 'object',
          required: ['a'],
          properties: { a: { type: 'string' }, b: { type: 'integer' } },
        },
        null,
        2,
      ),
      'r.json': JSON.stringify(
        {
          $schema: 'https://json-schema.org/draft/2020-12/schema',
          title: 'Decision',
          type: 'object',
          required: ['a'],
          properties: { a: { type: ['string', 'null'] } },
        },
        null,
        2,
      ),
    });
    const changes = await diff(dir, 'b.json', 'r.json');
    const text = readFileSync(join(dir, 'r.json'), 'utf8').split('\n');
    const lineOf = (needle: string) => text.findIndex((l) => l.includes(needle)) + 1;
    // The removal is reported on the properties the reader now gets, the nullability on the type that allows null.
    expect(changes.map((c) => [c.rule, c.level, c.line])).toEqual([
      ['schema.property.removed', 'breaking', lineOf('"properties"')],
      ['schema.nullable.added', 'breaking', lineOf('"type": [')],
    ]);
  });
});

describe('recording helpers', () => {
  it('normalizes with sorted keys so equal documents are byte-identical', () => {
    expect(normalizedJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 2 } })).toBe(
      normalizedJson({ a: { c: 2, d: [3, { y: 2, z: 1 }] }, b: 1 }),
    );
    expect(canonicalJson({ b: 1, a: 'é' })).toBe('{"a":"é","b":1}');
  });

  it('infers types, required keys, formats and examples from samples', () => {
    const s = inferSchema([
      {
        id: '0b6c9d4e-4b8a-4b4e-9a57-1c4d6e2f9a10',
        at: '2026-11-24T10:00:00Z',
        n: 1,
        tags: ['a'],
        extra: null,
      },
      { id: '1c7d0e5f-5c9b-4c5f-8b68-2d5e7f3a0b21', at: '2026-11-24T10:00:01.5Z', n: 2.5, tags: [] },
    ]);
    expect(s).toMatchObject({
      type: 'object',
      required: ['at', 'id', 'n', 'tags'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        at: { format: 'date-time' },
        n: { type: 'number' },
        tags: { type: 'array', items: { type: 'string' } },
        extra: { type: 'null' },
      },
    });
    expect((s.properties as Record<string, { examples?: unknown[] }>).n!.examples).toEqual([2.5]);
  });

  it('verifies an Ed25519 bundle and rejects a tampered one or an unpublished key', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const keyId = createHash('sha256')
      .update(publicKey.export({ type: 'spki', format: 'der' }))
      .digest('hex')
      .slice(0, 16);
    const bundle = { tenant: 'acme', version: 3, rules: [{ id: 'r', weight: 0.5 }] };
    const bytes = Buffer.from(canonicalJson(bundle));
    const signed = {
      bundle,
      hash: createHash('sha256').update(bytes).digest('hex'),
      public_key: pem,
      signature: {
        algorithm: 'Ed25519',
        key_id: keyId,
        value: sign(null, bytes, privateKey).toString('base64'),
      },
    };
    expect(verifyBundle(signed, [pem])).toMatchObject({
      verified: true,
      signatureValid: true,
      hashMatches: true,
      keyIdMatches: true,
      keyPublished: true,
    });
    const tampered = { ...signed, bundle: { ...bundle, version: 4 } };
    expect(verifyBundle(tampered)).toMatchObject({
      verified: false,
      signatureValid: false,
      hashMatches: false,
    });
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(verifyBundle(signed, [other])).toMatchObject({ verified: false, keyPublished: false });
  });

  it('checks messages against the payloads of the channel whose address is the topic', () => {
    const doc = {
      asyncapi: '3.0.0',
      channels: {
        d: {
          address: 'policy.decisions',
          messages: {
            m: {
              payload: {
                type: 'object',
                required: ['allowed'],
                properties: { allowed: { type: 'boolean' } },
              },
            },
          },
        },
      },
    };
    const t = topicPayloads(doc, 'policy.decisions')!;
    expect(t.payloads).toEqual(['/channels/d/messages/m/payload']);
    expect(t.validate({ allowed: true }).valid).toBe(true);
    const bad = t.validate({ allowed: 'yes' });
    expect(bad.valid).toBe(false);
    expect(bad.problems.join()).toContain('/allowed');
    expect(bad.problems.join()).toContain('boolean');
    expect(topicPayloads(doc, 'other.topic')).toBeUndefined();
  });

  it('describes a schema in prose and a field table', () => {
    const md = describeSchema('Decision', {
      type: 'object',
      required: ['allowed'],
      properties: {
        allowed: { type: 'boolean', description: 'Let through?' },
        severity: { type: 'string', enum: ['low', 'high'] },
        reasons: { type: 'object', properties: { policy: { type: 'string', example: 'default' } } },
      },
    });
    expect(md).toContain('`Decision` is an object with 3 fields, 1 of them required (`allowed`).');
    expect(md).toContain('| `allowed` | boolean | yes |  | Let through? |  |');
    expect(md).toContain('| `severity` | string | no | one of `low`, `high` |');
    expect(md).toContain('| `reasons.policy` | string | no |  |  | `default` |');
  });
});
