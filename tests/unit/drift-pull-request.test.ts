// The pure part of design-drift's report on a pull request: reading a handed-over result (untrusted),
// the commit status it gives, and the sticky comment.
import { describe, expect, it } from 'vitest';
import {
  DRIFT_COMMENT_MARKER,
  driftStatus,
  hasDrift,
  readHandoff,
  renderDriftComment,
} from '../../src/actions/design-drift/pull-request.js';
import { planDriftReport, type Inputs } from '../../src/actions/design-drift/inputs.js';
import { ConfigurationError } from '../../src/lib/errors.js';

const HEAD = 'a'.repeat(40);
const OTHER = 'b'.repeat(40);

/** A result file as design-drift (mode: check) writes it on a pull request with one breaking change. */
function resultFile(over: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}) {
  return JSON.stringify({
    action: 'design-drift',
    schemaVersion: 1,
    status: 'failure',
    run: {},
    ...envelope,
    result: {
      failOn: 'breaking',
      failed: true,
      reasons: ['1 breaking change(s)'],
      bypass: { label: null, used: false, prLabels: [] },
      today: '2026-12-03',
      recorded: 'docs/design/contracts/2026-11-20',
      recording: {
        folder: 'docs/design/contracts/2026-11-20',
        readFrom: 'origin/main',
        pendingAfterMerge: [],
      },
      baseRef: 'origin/main',
      pullRequest: { number: 7, headSha: HEAD },
      counts: { breaking: 1, nonBreaking: 0, informational: 0, waived: 0, total: 1 },
      documents: [
        {
          declared: 'specs/users.json',
          kind: 'openapi',
          matchedBy: 'title',
          recorded: 'users.json',
          baseRef: 'compared',
        },
      ],
      waivers: {
        file: null,
        readFrom: null,
        maxDays: 90,
        expired: [],
        refused: [],
        used: [],
        unused: [],
        pendingAfterMerge: null,
      },
      owner: '@acme/governance',
      changes: [
        {
          rule: 'openapi.response.property.removed',
          level: 'breaking',
          message: 'response property nickname removed (ping @octocat)',
          file: 'specs/users.json',
          pointer: '/components/schemas/User/properties/nickname',
          line: 12,
          operation: 'GET /users/{id}',
          against: 'recorded',
          waivedBy: null,
        },
      ],
      ...over,
    },
  });
}

describe('the handed-over result', () => {
  it('is read when it is design-drift’s result of a pull request at the run’s head', () => {
    const h = readHandoff(resultFile(), 'handoff.json', HEAD);
    expect(h.pullRequest).toEqual({ number: 7, headSha: HEAD });
    expect(h.decision).toMatchObject({ failed: true, bypassed: false, counts: { breaking: 1 } });
    expect(h.findings[0]).not.toHaveProperty('waivedBy');
  });

  it('of another commit than the event names is refused, saying both', () => {
    expect(() => readHandoff(resultFile(), 'handoff.json', OTHER)).toThrow(
      `input 'handoff': handoff.json is the result for commit "${HEAD}", not for the run's head "${OTHER}" (input 'head-sha'): refused, nothing was posted.`,
    );
  });

  it('without a pull request, of another action, or not JSON, is refused', () => {
    expect(() => readHandoff(resultFile({ pullRequest: null }), 'h.json', HEAD)).toThrow(
      /h\.json is not a design-drift result of a pull request: at \/result\/pullRequest/,
    );
    expect(() => readHandoff(resultFile({}, { action: 'smoke-suite' }), 'h.json', HEAD)).toThrow(
      /not a design-drift result of a pull request: at \/action/,
    );
    expect(() => readHandoff('{"action":', 'h.json', HEAD)).toThrow(ConfigurationError);
    expect(() =>
      readHandoff(resultFile({ pullRequest: { number: 7, headSha: 'HEAD~1' } }), 'h.json', HEAD),
    ).toThrow(/at \/result\/pullRequest\/headSha/);
  });
});

describe('the commit status', () => {
  it('fails exactly when the check failed', () => {
    expect(driftStatus(readHandoff(resultFile(), 'h', HEAD))).toEqual({
      state: 'failure',
      description: '1 breaking change(s)',
    });
    const clean = readHandoff(
      resultFile({
        failed: false,
        reasons: [],
        counts: { breaking: 0, nonBreaking: 0, informational: 0, waived: 0, total: 0 },
        changes: [],
      }),
      'h',
      HEAD,
    );
    expect(driftStatus(clean)).toEqual({ state: 'success', description: 'no drift' });
    expect(hasDrift(clean)).toBe(false);
    const bypassed = readHandoff(
      resultFile({ failed: false, bypass: { label: 'drift-ok', used: true, prLabels: ['drift-ok'] } }),
      'h',
      HEAD,
    );
    expect(driftStatus(bypassed)).toEqual({
      state: 'success',
      description: 'bypassed by the label drift-ok: 1 breaking change(s)',
    });
    expect(hasDrift(bypassed)).toBe(true);
  });
});

describe('the sticky comment', () => {
  const h = readHandoff(resultFile(), 'h', HEAD);

  it('starts with its marker, shows the drift table and links the run', () => {
    const body = renderDriftComment(h, { headSha: HEAD, detailsUrl: 'https://forge/run/1', resolved: false });
    expect(body.startsWith(`${DRIFT_COMMENT_MARKER}\n## Design drift: ❌ drift fails the check`)).toBe(true);
    expect(body).toContain('| 🔴 breaking | `openapi.response.property.removed` | `specs/users.json:12` |');
    expect(body).toContain(
      `Head \`${HEAD.slice(0, 12)}\`; details in [the check's run](https://forge/run/1).`,
    );
    expect(body).not.toContain('Resolved');
  });

  it('notifies nobody: mentions from the handed-over text are defused', () => {
    const body = renderDriftComment(h, { headSha: HEAD, resolved: false });
    expect(body).not.toMatch(/@octocat|@acme/);
    expect(body).toContain('@\u200boctocat');
  });

  it('says resolved on top when the drift is gone', () => {
    const body = renderDriftComment(h, { headSha: HEAD, resolved: true });
    expect(body).toContain(
      `### ✅ Resolved: the drift reported on this pull request is gone as of \`${HEAD.slice(0, 12)}\`.`,
    );
  });

  it('stays under the forge’s comment limit with thousands of changes', () => {
    const many = Array.from({ length: 3000 }, (_, i) => ({
      ...(JSON.parse(resultFile()) as { result: { changes: object[] } }).result.changes[0],
      file: `specs/users-${i}.json`,
      message: `response property p${i} removed ${'x'.repeat(60)}`,
    }));
    const documents = many.map((_, i) => ({
      declared: `specs/users-${i}.json`,
      kind: 'openapi',
      matchedBy: 'file name',
      recorded: `users-${i}.json`,
    }));
    const big = readHandoff(resultFile({ changes: many, documents }), 'h', HEAD);
    const body = renderDriftComment(big, { headSha: HEAD, resolved: false });
    expect(body.length).toBeLessThan(65_536);
    expect(body.startsWith(`${DRIFT_COMMENT_MARKER}\n## Design drift: ❌ drift fails the check`)).toBe(true);
    expect(body).toContain("The table is too long for a comment: it is in the check's run summary.");
  });
});

describe('the report plan', () => {
  const inputs = (over: Partial<Inputs>): Inputs =>
    ({
      mode: 'report',
      declared: [],
      token: 't',
      handoff: 'handoff/r.json',
      headSha: HEAD,
      ...over,
    }) as Inputs;

  it('needs the handed-over file inside the workspace and the head commit', () => {
    expect(planDriftReport(inputs({}), '/ws')).toMatchObject({
      handoff: { file: 'handoff/r.json', path: '/ws/handoff/r.json' },
      headSha: HEAD,
      token: 't',
    });
    expect(() => planDriftReport(inputs({ handoff: undefined }), '/ws')).toThrow(/input 'handoff'/);
    expect(() => planDriftReport(inputs({ headSha: undefined }), '/ws')).toThrow(/input 'head-sha'/);
    expect(() => planDriftReport(inputs({ handoff: '../r.json' }), '/ws')).toThrow(ConfigurationError);
  });
});
