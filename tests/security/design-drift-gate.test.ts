import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runAction, type ActionRun } from '../support/run-action.js';
import { ensureBuilt } from '../support/build.js';
import { dateInZone } from '../../src/lib/dates.js';
import { driftRepo, RECORDED, shiftDays, usersApi, type DriftRepo } from './drift-repo.js';
import { needsServers } from '../support/servers.js';

needsServers();

// The pull request cannot configure its own gate: the configuration section and the waivers are the
// base branch's; what the pull request changes in them is shown and counts only after merge.

const today = dateInZone(new Date(), 'UTC');
const teamsWaiver = {
  rule: 'openapi.response.property.removed',
  path: 'GET /teams/{id}',
  reason: 'the motto moved to the team page',
  owner: 'Experience & Ecosystem',
  expires: shiftDays(today, 30),
};
const everlasting = {
  rule: 'openapi.response.property.removed',
  path: 'GET /users/{id}',
  reason: 'nobody reads nicknames',
  owner: 'Experience & Ecosystem',
  expires: '9999-12-31',
};
const blanket = {
  rule: '*',
  path: '/',
  reason: 'unblock the release',
  owner: 'someone',
  expires: '9999-12-31',
};

const baseConfig = {
  timezone: 'UTC',
  'design-drift': { declared: ['specs/*.json'], waivers: 'waivers.yaml', owner: 'Experience & Ecosystem' },
};

interface DriftResult {
  result: {
    failOn: string;
    waivers: {
      readFrom: string | null;
      refused: { rule: string; path: string; expires: string; refused: string }[];
      used: { path: string }[];
      pendingAfterMerge: { added: unknown[]; removed: unknown[]; changed: unknown[] } | null;
    };
    changes: { rule: string; operation?: string; against: string; waivedBy: { path: string } | null }[];
  };
}

describe('design-drift on a pull request that tries to configure its own gate', () => {
  let repo: DriftRepo;

  beforeAll(() => {
    ensureBuilt();
    repo = driftRepo({
      [`${RECORDED}/users/openapi.json`]: usersApi(),
      'specs/users.json': usersApi(),
      'integration-day.config.yml': stringify(baseConfig),
      'waivers.yaml': stringify([teamsWaiver, everlasting]),
    });
    // The pull request: drops a field from both responses, waives everything for ever, and turns
    // the check off in its own copy of the configuration.
    const declared = usersApi();
    delete declared.components.schemas.User.properties.nickname;
    delete declared.components.schemas.Team.properties.motto;
    repo.write('specs/users.json', declared);
    repo.write('waivers.yaml', stringify([teamsWaiver, everlasting, blanket]));
    repo.write(
      'integration-day.config.yml',
      stringify({
        ...baseConfig,
        'design-drift': { ...baseConfig['design-drift'], 'fail-on': 'none', 'allow-external-refs': true },
      }),
    );
    repo.commit('drop nickname and motto; waive everything; fail on nothing');
  });

  /** The workflow's two steps: the config helper (with the base ref), then design-drift with its section. */
  async function workflow(
    ref: string,
  ): Promise<{ config: ActionRun; drift: ActionRun; result: DriftResult }> {
    const config = await runAction('config', {
      workspace: repo.dir,
      inputs: { command: 'load', file: 'integration-day.config.yml', ref, sections: 'design-drift' },
    });
    expect(config.exitCode, config.stdout).toBe(0);
    const section = JSON.parse(config.outputs['design-drift']!) as Record<string, string>;
    const drift = await runAction('design-drift', {
      workspace: repo.dir,
      inputs: { ...section, timezone: config.outputs.timezone!, 'base-ref': ref },
    });
    const result = JSON.parse(readFileSync(drift.outputs['result-path']!, 'utf8')) as DriftResult;
    return { config, drift, result };
  }

  it("the config helper hands design-drift the base branch's section, not the pull request's", async () => {
    const fromBase = await runAction('config', {
      workspace: repo.dir,
      inputs: {
        command: 'load',
        file: 'integration-day.config.yml',
        ref: 'origin/main',
        sections: 'design-drift',
      },
    });
    expect(fromBase.exitCode, fromBase.stdout).toBe(0);
    expect(JSON.parse(fromBase.outputs['design-drift']!)).toEqual({
      declared: 'specs/*.json',
      waivers: 'waivers.yaml',
      owner: 'Experience & Ecosystem',
      timezone: 'UTC',
    });
    expect(fromBase.summary).toContain('`integration-day.config.yml` as on `origin/main`');
    // The checkout's copy is the pull request's: exactly what the ref keeps out.
    const fromCheckout = await runAction('config', {
      workspace: repo.dir,
      inputs: { command: 'load', file: 'integration-day.config.yml', sections: 'design-drift' },
    });
    expect(JSON.parse(fromCheckout.outputs['design-drift']!)).toMatchObject({
      'fail-on': 'none',
      'allow-external-refs': 'true',
    });
    // A ref without the file fails naming the input.
    const missing = await runAction('config', {
      workspace: repo.dir,
      inputs: { command: 'load', file: 'other.config.yml', ref: 'origin/main', sections: 'design-drift' },
    });
    expect(missing.exitCode).toBe(1);
    expect(missing.stdout).toMatch(
      /input 'ref' has value "origin\/main": other\.config\.yml cannot be read on that ref/,
    );
  });

  it("fails on the breaking change: the pull request's fail-on and blanket waiver are not applied, and its waiver changes are listed as taking effect after merge", async () => {
    const { drift, result } = await workflow('origin/main');
    expect(drift.exitCode, drift.stdout.slice(-3000)).toBe(1);
    expect(result.result.failOn).toBe('breaking');
    // Each change is found twice: against the recording and against the base branch's declared copy.
    expect(drift.outputs).toMatchObject({ breaking: '2', waived: '2', failed: 'true' });

    const removed = result.result.changes.filter(
      (c) => c.rule === 'openapi.response.property.removed' && c.against === 'recorded',
    );
    // The base branch's waiver for the teams still applies; nothing waives the users' nickname.
    expect(removed.find((c) => c.operation === 'GET /teams/{id}')!.waivedBy).toMatchObject({
      path: 'GET /teams/{id}',
    });
    expect(removed.find((c) => c.operation === 'GET /users/{id}')!.waivedBy).toBeNull();

    const w = result.result.waivers;
    expect(w.readFrom).toBe('origin/main');
    // The base's everlasting waiver is refused for its lifetime, not applied, and listed with the reason.
    expect(w.refused).toEqual([
      expect.objectContaining({
        path: 'GET /users/{id}',
        expires: '9999-12-31',
        refused: expect.stringMatching(
          /days after today .*a waiver may run at most 90 days \(max-waiver-days\)$/,
        ),
      }),
    ]);
    expect(w.pendingAfterMerge).toEqual({ added: [blanket], removed: [], changed: [] });

    expect(drift.summary).toContain('### Waiver changes in this pull request: take effect after merge');
    expect(drift.summary).toContain(
      '| ➕ added | * | / | someone | 9999-12-31 | unblock the release | 🚫 would be refused: rule "*" matches every rule',
    );
    expect(drift.summary).toContain('🚫 refused, not applied: expires 9999-12-31');
    expect(drift.annotations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          level: 'error',
          properties: expect.objectContaining({
            title: 'breaking drift: openapi.response.property.removed',
            file: 'specs/users.json',
          }),
        }),
        expect.objectContaining({
          level: 'warning',
          properties: expect.objectContaining({
            title: 'design-drift: waiver refused',
            file: 'waivers.yaml',
          }),
        }),
        expect.objectContaining({
          level: 'notice',
          message: expect.stringContaining('1 added, 0 changed, 0 removed'),
        }),
      ]),
    );
  });

  it('once merged, the blanket waiver is refused all the same: it silences nothing', async () => {
    // The pull request's own commit as the base: its waivers file is what a merge would bring.
    const { drift, result } = await workflow('HEAD');
    expect(result.result.failOn).toBe('none');
    expect(result.result.waivers.pendingAfterMerge).toEqual({ added: [], removed: [], changed: [] });
    const refused = result.result.waivers.refused.map((r) => `${r.rule} ${r.path}: ${r.refused}`);
    expect(refused).toEqual([
      expect.stringMatching(/^openapi\.response\.property\.removed GET \/users\/\{id\}: expires 9999-12-31/),
      expect.stringMatching(/^\* \/: rule "\*" matches every rule/),
    ]);
    // fail-on: none (merged) lets it pass, but the nickname's removal is still counted, not waived.
    expect(drift.exitCode).toBe(0);
    expect(drift.outputs).toMatchObject({ breaking: '1', waived: '1' });
  });
});
