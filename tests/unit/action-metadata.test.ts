import { describe, expect, it } from 'vitest';
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ACTIONS } from '../../src/registry.js';
import { renderActionYml, renderInputsTable } from '../../src/lib/docs/action-docs.js';
import { ROOT } from '../support/paths.js';

interface ActionYml {
  description?: string;
  runs: { using: string; main: string };
  inputs: Record<string, { required?: boolean; default?: string; description?: string }>;
  outputs: Record<string, { description?: string }>;
  branding?: { icon?: string; color?: string };
}

const EXPECTED = [
  'backlog-grid',
  'contract-record',
  'daily-wrap',
  'design-drift',
  'escalate',
  'evidence-archive',
  'helm-deploy',
  'infra-pulse',
  'kafka-topic-check',
  'smoke-suite',
];

describe('action metadata, action.yml and README agree', () => {
  it('there are exactly the ten actions, each with src, action.yml and README', () => {
    expect(ACTIONS.map((a) => a.name).sort()).toEqual(EXPECTED);
    expect(readdirSync(join(ROOT, 'actions')).sort()).toEqual(EXPECTED);
    for (const name of EXPECTED) {
      expect(existsSync(join(ROOT, 'src/actions', name, 'index.ts')), `${name}/index.ts`).toBe(true);
      expect(existsSync(join(ROOT, 'actions', name, 'README.md')), `${name}/README.md`).toBe(true);
    }
  });

  for (const m of ACTIONS) {
    describe(m.name, () => {
      const yml = parseYaml(readFileSync(join(ROOT, 'actions', m.name, 'action.yml'), 'utf8')) as ActionYml;

      it('runs on node24 from its own bundle', () => {
        expect(yml.runs).toEqual({ using: 'node24', main: `../../dist/${m.name}/index.js` });
        expect(yml.branding?.icon).toBeTruthy();
      });

      it('declares exactly the schema inputs, with the same required flags and defaults', () => {
        expect(Object.keys(yml.inputs).sort()).toEqual(Object.keys(m.inputs).sort());
        for (const [name, spec] of Object.entries(m.inputs)) {
          expect(yml.inputs[name]?.required ?? false, `${name}.required`).toBe(spec.required);
          expect(
            yml.inputs[name]?.default === undefined ? undefined : String(yml.inputs[name]?.default),
            `${name}.default`,
          ).toBe(spec.default);
          expect(yml.inputs[name]?.description, `${name}.description`).toBeTruthy();
          expect(name, 'inputs are kebab-case').toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
        }
      });

      it('has no expression (`${{`) in any text: the runner refuses action metadata that has one', () => {
        const texts = [
          yml.description,
          ...Object.values(yml.inputs).map((i) => i.description),
          ...Object.values(yml.outputs).map((o) => o.description),
        ];
        for (const t of texts) expect(t).not.toContain('${{');
        // A default may name the job's token, the one expression runners evaluate in action metadata.
        for (const i of Object.values(yml.inputs)) {
          if (String(i.default ?? '').includes('${{')) expect(String(i.default)).toBe('${{ github.token }}');
        }
      });

      it('gives every boolean input a default', () => {
        for (const [name, spec] of Object.entries(m.inputs)) {
          if (spec.kind === 'boolean')
            expect(yml.inputs[name]?.default, `${name} needs a default`).toMatch(/^(true|false)$/);
        }
      });

      it('declares exactly the documented outputs', () => {
        expect(Object.keys(yml.outputs).sort()).toEqual(Object.keys(m.outputs).sort());
        expect(m.outputs['result-path']).toBeTruthy();
      });

      it('action.yml is the generated one (run `npm run docs` after editing metadata)', () => {
        expect(readFileSync(join(ROOT, 'actions', m.name, 'action.yml'), 'utf8')).toBe(renderActionYml(m));
      });

      it('README lists every input and output in its generated table', () => {
        const readme = readFileSync(join(ROOT, 'actions', m.name, 'README.md'), 'utf8');
        expect(readme).toContain(renderInputsTable(m));
        for (const name of [...Object.keys(m.inputs), ...Object.keys(m.outputs)])
          expect(readme).toContain(`| \`${name}\` |`);
      });
    });
  }
});
