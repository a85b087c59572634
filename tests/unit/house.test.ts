// Every action is written the same way (docs/architecture.md): this checks the recipe holds for
// each action in the registry, and that the registry lists every action there is.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { REGISTRY } from '../../src/registry.js';
import { ROOT } from '../support/paths.js';

const read = (...p: string[]) => readFileSync(join(ROOT, ...p), 'utf8');

describe('the house recipe', () => {
  it('the registry lists every action folder, once', () => {
    const folders = readdirSync(join(ROOT, 'src/actions')).sort();
    expect(REGISTRY.map((r) => r.metadata.name).sort()).toEqual(folders);
    expect(readdirSync(join(ROOT, 'actions')).sort()).toEqual(folders);
  });

  describe.each(REGISTRY.map((r) => [r.metadata.name]))('%s', (name) => {
    it('index.ts runs main through runAction, and nothing else', () => {
      const lines = read('src/actions', name, 'index.ts').trim().split('\n').filter(Boolean);
      expect(lines).toEqual([
        "import { runAction } from '../../lib/action/index.js';",
        "import { main } from './main.js';",
        `void runAction('${name}', main);`,
      ]);
    });

    it('inputs.ts exports a pure plan function and touches neither the toolkit nor the disk', () => {
      const text = read('src/actions', name, 'inputs.ts');
      expect(text).toMatch(/export function plan[A-Z][A-Za-z]*\(/);
      expect(text).not.toMatch(/from '\.\.\/\.\.\/lib\/action\//);
      expect(text).not.toMatch(/from 'node:fs\/promises'/);
    });

    it('the step ends in one finishStep call (main.ts, or the module it loads lazily), never by hand', () => {
      const files = readdirSync(join(ROOT, 'src/actions', name)).filter((f) => f.endsWith('.ts'));
      const texts = files.map((f) => read('src/actions', name, f));
      expect(texts.filter((t) => t.includes('await finishStep(')).length).toBe(1);
      for (const t of texts)
        expect(t).not.toMatch(/\b(writeResultFile|setOutputs|writeSummary|emitAnnotations)\(/);
    });

    it('action.yml runs its own bundle on node24, and the bundle is built', () => {
      const yml = parseYaml(read('actions', name, 'action.yml')) as { runs: { using: string; main: string } };
      expect(yml.runs).toEqual({ using: 'node24', main: `../../dist/${name}/index.js` });
      expect(existsSync(join(ROOT, 'dist', name, 'index.js'))).toBe(true);
      expect(existsSync(join(ROOT, 'dist', name, 'licenses.txt'))).toBe(true);
    });

    it('the README carries the generated inputs table', () => {
      const text = read('actions', name, 'README.md');
      expect(text).toContain('<!-- inputs:start');
      expect(text).toContain('<!-- inputs:end -->');
    });
  });
});

/** Run-time imports (type-only ones vanish at run time) of every module under src, as absolute paths. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const files = readdirSync(join(ROOT, 'src'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const deps: string[] = [];
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s+(type\s+)?[^'"]*?from\s+'(\.[^']+)'/g)) {
      if (!m[1]) deps.push(join(dirname(file), m[2]!.replace(/\.js$/, '.ts')));
    }
    graph.set(file, deps);
  }
  return graph;
}

describe('the import graph', () => {
  const graph = importGraph();
  it('has no cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]) => {
      state.set(file, 'open');
      for (const dep of graph.get(file) ?? []) {
        if (state.get(dep) === 'open')
          cycles.push([...path.slice(path.indexOf(dep)), dep].map((p) => relative(ROOT, p)).join(' -> '));
        else if (!state.has(dep) && graph.has(dep)) visit(dep, [...path, dep]);
      }
      state.set(file, 'done');
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file, [file]);
    expect(cycles).toEqual([]);
  });

  it('shared code never imports the toolkit door (src/lib/action) back', () => {
    const up = [...graph].flatMap(([file, deps]) =>
      relative(ROOT, file).startsWith('src/lib/') && !relative(ROOT, file).startsWith('src/lib/action/')
        ? deps
            .filter((d) => relative(ROOT, d).startsWith('src/lib/action/'))
            .map((d) => `${relative(ROOT, file)} -> ${relative(ROOT, d)}`)
        : [],
    );
    expect(up).toEqual([]);
  });
});

describe('the test tiers', () => {
  it('every test file beyond tests/unit names the servers it needs in one place', () => {
    const files = ['integration', 'e2e', 'security'].flatMap((tier) =>
      readdirSync(join(ROOT, 'tests', tier))
        .filter((f) => f.endsWith('.test.ts'))
        .map((f) => join('tests', tier, f)),
    );
    expect(files.length).toBeGreaterThan(30);
    for (const f of files) expect(read(f).match(/^needsServers\(/gm)?.length ?? 0, f).toBe(1);
  });

  it('no unit test talks to a server', () => {
    for (const f of readdirSync(join(ROOT, 'tests/unit')).filter((n) => n.endsWith('.ts'))) {
      expect(read('tests/unit', f), f).not.toMatch(
        /needsServers\(|requireServer\(|requireKube\(|requireForge\(/,
      );
    }
  });
});
