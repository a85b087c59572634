import { beforeAll, describe, expect, it } from 'vitest';
import { diffContracts, loadContract } from '../../src/lib/contracts/diff.js';
import { oasdiffBinary, oasdiffBreaking, oasdiffVerdict, openApiPairs } from '../support/oasdiff.js';
import { needsServers } from '../support/servers.js';

needsServers();

/**
 * Cross-check with a real peer: oasdiff, built from the Go module proxy (tools/oasdiff/build.sh).
 * On every pair of the corpus our breaking / not-breaking verdict must equal oasdiff's (a change at
 * its error level), except for the pairs below, where we disagree on purpose. Each entry says what
 * each tool answers and why ours is the right answer for a gate that protects the recorded clients;
 * if oasdiff's answer ever changes, the entry fails and must be looked at again.
 */
const DISAGREEMENTS: Record<
  string,
  { ours: 'breaking' | 'not-breaking'; oasdiff: 'breaking' | 'not-breaking'; why: string }
> = {
  '28-request-property-removed-closed-object': {
    ours: 'breaking',
    oasdiff: 'not-breaking',
    why: 'the request object has additionalProperties: false, so clients still sending `priority` are now rejected; oasdiff only warns (request-property-removed) without looking at additionalProperties',
  },
  '42-response-optional-property-removed': {
    ours: 'breaking',
    oasdiff: 'not-breaking',
    why: 'deliberate: clients read `reason` whenever it is present; optional means "sometimes absent", not "may disappear from the contract". oasdiff rates response-optional-property-removed as info',
  },
  '62-response-optional-header-removed': {
    ours: 'breaking',
    oasdiff: 'not-breaking',
    why: 'deliberate, as for optional response properties: a documented response header that clients read (trace ids, policy headers) disappears. oasdiff rates optional-response-header-removed as info',
  },
  '65-response-header-enum-value-added': {
    ours: 'breaking',
    oasdiff: 'not-breaking',
    why: 'a response header may now carry a value clients were promised it never would (X-Policy-Decision: review); oasdiff applies its own enum-value-added rule to response properties but does not check header schemas',
  },
  '73-response-wrapped-in-one-of': {
    ours: 'breaking',
    oasdiff: 'not-breaking',
    why: 'the 200 body may now be an Error instead of a Decision: the same widening oasdiff calls breaking as response-body-one-of-added, but it only warns when the original schema stays one of the variants',
  },
  '75-response-all-of-refactor-same-shape': {
    ours: 'not-breaking',
    oasdiff: 'breaking',
    why: 'Decision was split into allOf [Decision, Audited] with the same properties and required list; merged, the schema is identical. oasdiff (without --flatten-allof) reports the required properties as removed',
  },
  '76-request-all-of-refactor-same-shape': {
    ours: 'not-breaking',
    oasdiff: 'breaking',
    why: 'the same refactor on the request side: oasdiff reports request-body-all-of-added as an error although the accepted bodies did not change',
  },
  '80-openapi-3.0-to-3.1-same-meaning': {
    ours: 'not-breaking',
    oasdiff: 'breaking',
    why: '`nullable: true` (3.0) and `type: [string, "null"]` (3.1) mean the same; oasdiff reads the 3.1 form as "became not nullable" unless told to --auto-upgrade',
  },
  '84-response-one-of-variant-moved-to-component-and-narrowed': {
    ours: 'not-breaking',
    oasdiff: 'breaking',
    why: 'oneOf: the inline model variant moved to components/schemas/ModelEvidence and only its confidence got a maximum (a narrowing, harmless to response readers). oasdiff matches variants by $ref name or equal shape only, so it sees a new variant (response-property-one-of-added); we pair the variants and compare them',
  },
  '85-request-one-of-variant-moved-to-component-optional-added': {
    ours: 'not-breaking',
    oasdiff: 'breaking',
    why: 'oneOf: the inline user variant moved to a component and gained an optional property; every body accepted before is still accepted. oasdiff reports request-property-one-of-removed',
  },
  '86-response-one-of-variant-component-renamed': {
    ours: 'not-breaking',
    oasdiff: 'breaking',
    why: 'oneOf: ModelEvidence was renamed ModelBasedEvidence with the same shape (plus a description); payloads are unchanged. oasdiff matches variants by component name and reports one-of-added',
  },
  '89-request-pattern-changed': {
    ours: 'breaking',
    oasdiff: 'not-breaking',
    why: 'a changed pattern is not provably a superset of the old one (regex inclusion is undecidable in general), so a gate must treat it as narrowing; oasdiff only warns',
  },
  '93-request-additional-properties-closed': {
    ours: 'breaking',
    oasdiff: 'not-breaking',
    why: '`context` accepted any string-valued keys and now accepts none: requests that were valid are rejected. oasdiff has no additionalProperties rule',
  },
  '95-response-array-items-unconstrained': {
    ours: 'breaking',
    oasdiff: 'not-breaking',
    why: 'the response array items lost their schema, so clients may now receive items of any type. oasdiff does not compare a removed items schema',
  },
  '107-request-array-items-constrained': {
    ours: 'breaking',
    oasdiff: 'not-breaking',
    why: 'request array items that could be anything must now be strings: earlier valid requests are rejected. oasdiff does not compare an added items schema',
  },
};

describe('our verdicts against oasdiff on the OpenAPI corpus', () => {
  beforeAll(() => {
    oasdiffBinary();
  }, 900_000);

  const pairs = openApiPairs();

  it('the corpus has at least 40 pairs and every disagreement names a real pair', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(40);
    const names = new Set(pairs.map((p) => p.name));
    for (const name of Object.keys(DISAGREEMENTS)) expect(names.has(name)).toBe(true);
  });

  for (const pair of pairs) {
    it(pair.name, async () => {
      const ours = diffContracts(
        await loadContract(pair.base, pair.base),
        await loadContract(pair.revision, pair.revision),
      );
      const ourVerdict = ours.some((c) => c.level === 'breaking') ? 'breaking' : 'not-breaking';
      const theirs = oasdiffVerdict(oasdiffBreaking(pair.base, pair.revision));
      const documented = DISAGREEMENTS[pair.name];
      if (documented) {
        expect({ ours: ourVerdict, oasdiff: theirs }).toEqual({
          ours: documented.ours,
          oasdiff: documented.oasdiff,
        });
      } else {
        expect(ourVerdict).toBe(theirs);
      }
    });
  }
});
