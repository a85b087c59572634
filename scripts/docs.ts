// Regenerates actions/<name>/action.yml and the inputs/outputs block of actions/<name>/README.md.
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIONS } from '../src/registry.js';
import { renderActionYml, updateReadme } from '../src/lib/docs/action-docs.js';
import { workflowActionMetadata } from '../src/cli/workflow-action/metadata.js';

const root = new URL('..', import.meta.url).pathname;
for (const m of ACTIONS) {
  const dir = join(root, 'actions', m.name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'action.yml'), renderActionYml(m));
  const readmePath = join(dir, 'README.md');
  const existing = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : undefined;
  writeFileSync(readmePath, updateReadme(existing, m));
}
// The workflows' helper action (load the configuration, hand results between jobs) lives in config/.
writeFileSync(
  join(root, 'config', 'action.yml'),
  renderActionYml(workflowActionMetadata, {
    main: '../dist/cli/index.js',
    source: 'src/cli/workflow-action/metadata.ts',
  }),
);
console.log(`docs: ${ACTIONS.length} action.yml and README files written, and config/action.yml`);
