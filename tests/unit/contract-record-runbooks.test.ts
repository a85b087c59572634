import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ConfigurationError } from '../../src/lib/errors.js';
import { runbookLink } from '../../src/lib/contracts/readme.js';
import { runbooksOf } from '../../src/actions/contract-record/inputs.js';
import { indexService } from '../../src/actions/contract-record/render.js';
import type { EndpointsConfig } from '../../src/actions/contract-record/metadata.js';

const ws = '/repo';
const endpoints: EndpointsConfig = {
  services: [
    { name: 'policy-engine', url: 'http://p' },
    { name: 'constitution', url: 'http://c', runbook: 'docs/runbooks/integration-day.md#governance' },
    { name: 'orchestrator', url: 'http://o', runbook: 'https://wiki.example/orchestrator' },
    { name: 'gateway', url: 'http://g' },
  ],
};

describe("contract-record: each service's runbook", () => {
  it('named ones are kept, else docs/runbooks/<service>.md when the repository has it', () => {
    const present = new Set([
      join(ws, 'docs/runbooks/policy-engine.md'),
      join(ws, 'docs/runbooks/integration-day.md'),
    ]);
    expect(runbooksOf(endpoints, ws, (p) => present.has(p))).toEqual({
      'policy-engine': 'docs/runbooks/policy-engine.md',
      constitution: 'docs/runbooks/integration-day.md#governance',
      orchestrator: 'https://wiki.example/orchestrator',
    });
  });

  it('a named repository path that does not exist is a configuration error naming the service', () => {
    const check = () => runbooksOf(endpoints, ws, () => false);
    expect(check).toThrow(ConfigurationError);
    expect(check).toThrow(
      "input 'endpoints': services[1] (constitution) names runbook docs/runbooks/integration-day.md#governance, but docs/runbooks/integration-day.md is not in the repository",
    );
  });

  it('links from the recording folder: repository paths relative (anchor kept), URLs as they are', () => {
    const dir = 'docs/design/contracts/2026-11-25';
    expect(runbookLink('docs/runbooks/policy-engine.md', dir)).toBe(
      '[docs/runbooks/policy-engine.md](../../../runbooks/policy-engine.md)',
    );
    expect(runbookLink('docs/runbooks/integration-day.md#governance', dir)).toBe(
      '[docs/runbooks/integration-day.md#governance](../../../runbooks/integration-day.md#governance)',
    );
    expect(runbookLink('https://wiki.example/x', dir)).toBe(
      '[https://wiki.example/x](https://wiki.example/x)',
    );
  });

  it('index.json puts the runbook beside the captured policy headers and the bundle verification', () => {
    const check = { verified: true, keyId: 'k1' } as never;
    expect(
      indexService({
        name: 'constitution',
        url: 'http://c',
        squad: 'Governance Core',
        runbook: 'docs/runbooks/integration-day.md',
        har: 'constitution.har',
        documents: [],
        samples: [
          {
            name: 'evaluate',
            path: 'constitution/samples/evaluate.json',
            method: 'POST',
            url: '/v1/evaluate',
            status: 200,
            captured: { 'X-Policy-Decision': 'allow' },
          },
        ],
        signatures: [{ name: 'acme', path: 'constitution/bundles/acme.json', check }],
      }),
    ).toEqual({
      name: 'constitution',
      squad: 'Governance Core',
      runbook: 'docs/runbooks/integration-day.md',
      har: 'constitution.har',
      headers: [
        {
          sample: 'evaluate',
          path: 'constitution/samples/evaluate.json',
          status: 200,
          captured: { 'X-Policy-Decision': 'allow' },
        },
      ],
      bundles: [{ name: 'acme', path: 'constitution/bundles/acme.json', verified: true, keyId: 'k1' }],
    });
  });
});
