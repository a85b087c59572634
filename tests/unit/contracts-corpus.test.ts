import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffContracts, loadContract, verdictOf, type Verdict } from '../../src/lib/contracts/diff.js';
import { RULES } from '../../src/lib/contracts/rules.js';
import { openApiPairs } from '../support/oasdiff.js';

// What our engine must say about each pair of the corpus: the verdict and the exact set of rule ids.
// The same pairs are cross-checked against oasdiff in tests/integration/contract-oasdiff.test.ts.
const EXPECTED: Record<string, [Verdict, string[]]> = {
  '01-path-removed': ['breaking', ['openapi.path.removed']],
  '02-path-added': ['non-breaking', ['openapi.path.added']],
  '03-operation-removed': ['breaking', ['openapi.operation.removed']],
  '04-operation-removed-after-deprecation': ['non-breaking', ['openapi.operation.removed-deprecated']],
  '05-operation-added': ['non-breaking', ['openapi.operation.added']],
  '06-operation-deprecated': ['informational', ['openapi.operation.deprecated']],
  '07-path-parameter-renamed': ['none', []],
  '08-parameter-required-added': ['breaking', ['openapi.parameter.required-added']],
  '09-parameter-optional-added': ['non-breaking', ['openapi.parameter.added']],
  '10-parameter-removed': ['non-breaking', ['openapi.parameter.removed']],
  '100-response-property-deprecated': ['informational', ['schema.deprecated.changed']],
  '101-operation-id-changed': ['informational', ['openapi.operation.id-changed']],
  '102-operation-security-added': ['breaking', ['openapi.security.anonymous-access-removed']],
  '103-response-header-became-required': ['non-breaking', ['openapi.response.header.became-required']],
  '104-operation-security-scheme-changed': ['breaking', ['openapi.security.requirement-removed']],
  '105-request-property-became-enum': ['breaking', ['schema.enum.added']],
  '106-response-property-enum-removed': ['breaking', ['schema.enum.removed']],
  '107-request-array-items-constrained': ['breaking', ['schema.items.added']],
  '108-operation-security-alternative-added': ['informational', ['openapi.security.changed']],
  '11-parameter-became-required': ['breaking', ['openapi.parameter.became-required']],
  '12-parameter-became-optional': ['non-breaking', ['openapi.parameter.became-optional']],
  '13-parameter-enum-value-removed': ['breaking', ['schema.enum.value-removed']],
  '14-parameter-enum-value-added': ['non-breaking', ['schema.enum.value-added']],
  '15-parameter-type-widened': ['non-breaking', ['schema.type.widened']],
  '16-parameter-type-narrowed': ['breaking', ['schema.type.narrowed']],
  '17-parameter-maximum-decreased': ['breaking', ['schema.bound.narrowed']],
  '18-request-body-required-added': ['breaking', ['openapi.request-body.required-added']],
  '19-request-body-optional-added': ['non-breaking', ['openapi.request-body.added']],
  '20-request-body-removed': ['breaking', ['openapi.request-body.removed']],
  '21-request-body-became-required': ['breaking', ['openapi.request-body.became-required']],
  '22-request-body-became-optional': ['non-breaking', ['openapi.request-body.became-optional']],
  '23-request-media-type-removed': ['breaking', ['openapi.request-body.media-type.removed']],
  '24-request-media-type-added': ['non-breaking', ['openapi.request-body.media-type.added']],
  '25-request-property-required-added': ['breaking', ['openapi.request.property.required-added']],
  '26-request-property-optional-added': ['non-breaking', ['openapi.request.property.added']],
  '27-request-property-removed': ['non-breaking', ['openapi.request.property.removed']],
  '28-request-property-removed-closed-object': ['breaking', ['openapi.request.property.removed-closed']],
  '29-request-property-became-required': ['breaking', ['openapi.request.property.became-required']],
  '30-request-property-became-optional': ['non-breaking', ['openapi.request.property.became-optional']],
  '31-request-enum-value-added': ['non-breaking', ['schema.enum.value-added']],
  '32-request-enum-value-removed': ['breaking', ['schema.enum.value-removed']],
  '33-request-max-length-decreased': ['breaking', ['schema.bound.narrowed']],
  '34-request-max-length-increased': ['non-breaking', ['schema.bound.widened']],
  '35-request-minimum-increased': ['breaking', ['schema.bound.narrowed']],
  '36-request-pattern-added': ['breaking', ['schema.pattern.added']],
  '37-request-nullable-removed': ['breaking', ['schema.nullable.removed']],
  '38-request-format-changed': ['breaking', ['schema.format.changed']],
  '39-request-type-changed': ['breaking', ['schema.type.changed']],
  '40-request-read-only-required-added': ['none', []],
  '41-response-required-property-removed': ['breaking', ['openapi.response.property.removed']],
  '42-response-optional-property-removed': ['breaking', ['openapi.response.property.removed']],
  '43-response-property-renamed': [
    'breaking',
    ['openapi.response.property.removed', 'openapi.response.property.required-added'],
  ],
  '44-response-optional-property-added': ['non-breaking', ['openapi.response.property.added']],
  '45-response-required-property-added': ['non-breaking', ['openapi.response.property.required-added']],
  '46-response-property-became-optional': ['breaking', ['openapi.response.property.became-optional']],
  '47-response-property-became-required': ['non-breaking', ['openapi.response.property.became-required']],
  '48-response-enum-value-added': ['breaking', ['schema.enum.value-added']],
  '49-response-enum-value-removed': ['non-breaking', ['schema.enum.value-removed']],
  '50-response-type-widened': ['breaking', ['schema.type.widened']],
  '51-response-type-narrowed': ['non-breaking', ['schema.type.narrowed']],
  '52-response-nullable-added': ['breaking', ['schema.nullable.added']],
  '53-response-max-length-increased': ['breaking', ['schema.bound.widened']],
  '54-response-max-length-decreased': ['non-breaking', ['schema.bound.narrowed']],
  '55-response-property-type-changed-json': ['breaking', ['schema.type.changed']],
  '56-response-success-status-removed': [
    'breaking',
    ['openapi.response.status.added', 'openapi.response.status.removed'],
  ],
  '57-response-error-status-removed': ['informational', ['openapi.response.error-status.removed']],
  '58-response-status-added': ['non-breaking', ['openapi.response.status.added']],
  '59-response-media-type-removed': ['breaking', ['openapi.response.media-type.removed']],
  '60-response-media-type-added': ['non-breaking', ['openapi.response.media-type.added']],
  '61-response-required-header-removed': ['breaking', ['openapi.response.header.removed']],
  '62-response-optional-header-removed': ['breaking', ['openapi.response.header.removed']],
  '63-response-header-became-optional': ['breaking', ['openapi.response.header.became-optional']],
  '64-response-header-added': ['non-breaking', ['openapi.response.header.added']],
  '65-response-header-enum-value-added': ['breaking', ['schema.enum.value-added']],
  '66-response-one-of-variant-added': ['breaking', ['schema.one-of.variant-added']],
  '67-response-one-of-variant-removed': ['non-breaking', ['schema.one-of.variant-removed']],
  '68-request-one-of-variant-removed': ['breaking', ['schema.one-of.variant-removed']],
  '69-request-one-of-variant-added': ['non-breaking', ['schema.one-of.variant-added']],
  '70-response-inline-one-of-variant-property-removed': ['breaking', ['openapi.response.property.removed']],
  '71-response-inline-one-of-variants-reordered': ['none', []],
  '72-response-inline-one-of-reordered-and-type-changed': ['breaking', ['schema.type.changed']],
  '73-response-wrapped-in-one-of': ['breaking', ['schema.one-of.variant-added']],
  '74-request-any-of-variant-added': ['non-breaking', ['schema.any-of.variant-added']],
  '75-response-all-of-refactor-same-shape': ['none', []],
  '76-request-all-of-refactor-same-shape': ['none', []],
  '77-request-all-of-member-adds-required-property': [
    'breaking',
    ['openapi.request.property.required-added'],
  ],
  '78-inline-schema-moved-to-component': ['none', []],
  '79-recursive-schema-deep-change': [
    'breaking',
    ['openapi.response.property.removed', 'schema.type.changed'],
  ],
  '80-openapi-3.0-to-3.1-same-meaning': ['informational', ['contract.spec-version.changed']],
  '81-description-only': ['informational', ['schema.description.changed']],
  '82-version-bump-only': ['informational', ['contract.version.changed']],
  '83-external-file-ref-changed': ['breaking', ['schema.type.changed']],
  '84-response-one-of-variant-moved-to-component-and-narrowed': ['non-breaking', ['schema.bound.narrowed']],
  '85-request-one-of-variant-moved-to-component-optional-added': [
    'non-breaking',
    ['openapi.request.property.added'],
  ],
  '86-response-one-of-variant-component-renamed': ['informational', ['schema.description.changed']],
  '87-request-format-added': ['breaking', ['schema.format.added']],
  '88-response-format-removed': ['breaking', ['schema.format.removed']],
  '89-request-pattern-changed': ['breaking', ['schema.pattern.changed']],
  '90-response-pattern-removed': ['breaking', ['schema.pattern.removed']],
  '91-request-multiple-of-changed': ['breaking', ['schema.multiple-of.changed']],
  '92-request-any-of-variant-removed': ['breaking', ['schema.any-of.variant-removed']],
  '93-request-additional-properties-closed': ['breaking', ['schema.additional-properties.narrowed']],
  '94-response-additional-properties-opened': ['non-breaking', ['schema.additional-properties.widened']],
  '95-response-array-items-unconstrained': ['breaking', ['schema.items.removed']],
  '96-response-array-items-type-changed': ['breaking', ['schema.type.changed']],
  '97-response-property-became-write-only': ['informational', ['schema.read-only.changed']],
  '98-request-default-changed': ['informational', ['schema.default.changed']],
  '99-response-discriminator-mapping-added': ['informational', ['schema.discriminator.changed']],
};

// Lines are checked against the revision text itself: the change must be reported on the line holding this text.
const LINES: Record<string, { rule: string; text: string }> = {
  '08-parameter-required-added': { rule: 'openapi.parameter.required-added', text: '- name: region' },
  '17-parameter-maximum-decreased': { rule: 'schema.bound.narrowed', text: 'maximum: 50' },
  '25-request-property-required-added': { rule: 'openapi.request.property.required-added', text: 'tenant:' },
  '33-request-max-length-decreased': { rule: 'schema.bound.narrowed', text: 'maxLength: 64' },
  '48-response-enum-value-added': { rule: 'schema.enum.value-added', text: 'enum:' },
  '55-response-property-type-changed-json': { rule: 'schema.type.changed', text: '"type": "integer"' },
  '63-response-header-became-optional': {
    rule: 'openapi.response.header.became-optional',
    text: 'X-Policy-Decision:',
  },
  '83-external-file-ref-changed': { rule: 'schema.type.changed', text: 'type: string' },
};

function lineOf(file: string, text: string, after = 0): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l, n) => n + 1 >= after && l.includes(text));
  if (i < 0) throw new Error(`${text} not in ${file}`);
  return i + 1;
}

describe('diff engine on the OpenAPI corpus', () => {
  const pairs = openApiPairs();

  it('has at least 40 pairs, each with an expectation', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(40);
    expect(pairs.map((p) => p.name).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const pair of pairs) {
    it(pair.name, async () => {
      const changes = diffContracts(
        await loadContract(pair.base, pair.base),
        await loadContract(pair.revision, pair.revision),
      );
      const [verdict, rules] = EXPECTED[pair.name]!;
      expect(verdictOf(changes)).toBe(verdict);
      expect([...new Set(changes.map((c) => c.rule))].sort()).toEqual(rules);
      for (const c of changes) {
        expect(c.line).toBeGreaterThanOrEqual(1);
        expect(c.message.length).toBeGreaterThan(0);
      }
      const want = LINES[pair.name];
      if (want) {
        const hit = changes.find((c) => c.rule === want.rule)!;
        expect(hit).toBeDefined();
        const revisionFile = hit.file.startsWith('/') ? hit.file : pair.revision;
        // The line must hold the text, searching from the changed schema's own block.
        const line = readFileSync(revisionFile, 'utf8').split('\n')[hit.line - 1];
        expect(line).toContain(want.text);
      }
    });
  }

  it('covers every OpenAPI and schema rule of the catalogue', async () => {
    const seen = new Set(Object.values(EXPECTED).flatMap(([, r]) => r));
    const openapiRules = RULES.map((r) => r.id).filter(
      (id) => (id.startsWith('openapi.') || id.startsWith('schema.')) && !id.startsWith('schema.property.'),
    );
    // Rules with no pair yet would be untested against oasdiff; keep this list empty.
    const missing = openapiRules.filter((id) => !seen.has(id));
    expect(missing).toEqual([]);
  });

  it('points a change inside an external file at that file', async () => {
    const pair = pairs.find((p) => p.name === '83-external-file-ref-changed')!;
    const changes = diffContracts(
      await loadContract(pair.base, pair.base),
      await loadContract(pair.revision, pair.revision),
    );
    expect(changes[0]!.file.endsWith('revision/common.yaml')).toBe(true);
    const common = pair.revision.replace('openapi.yaml', 'common.yaml');
    expect(changes[0]!.line).toBe(lineOf(common, 'type: string', lineOf(common, 'code:')));
  });
});
