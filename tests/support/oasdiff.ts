import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths.js';

export interface OasdiffChange {
  id: string;
  text: string;
  /** 3 error (breaking), 2 warning, 1 info. */
  level: number;
  operation?: string;
  path?: string;
}

let built: string | undefined;

/**
 * Builds oasdiff from the Go module proxy once (tools/oasdiff/build.sh caches it) and returns the
 * binary's path. Fails with the reason when it cannot be built: the cross-check never passes without its peer.
 */
export function oasdiffBinary(): string {
  if (built) return built;
  const script = join(ROOT, 'tools/oasdiff/build.sh');
  try {
    built = execFileSync('bash', [script], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 900_000,
    })
      .trim()
      .split('\n')
      .pop()!;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(
      `oasdiff could not be built by ${script} (needs Go and the Go module proxy): ${(e.stderr ?? e.message).trim()}`,
    );
  }
  return built;
}

/** `oasdiff breaking base revision --format json`: every change it reports at warning level or above. */
export function oasdiffBreaking(base: string, revision: string, extraArgs: string[] = []): OasdiffChange[] {
  const r = spawnSync(oasdiffBinary(), ['breaking', base, revision, '--format', 'json', ...extraArgs], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0)
    throw new Error(`oasdiff breaking ${base} ${revision} exited ${r.status}: ${r.stderr.trim()}`);
  const text = r.stdout.trim();
  return text === '' || text === 'null' ? [] : (JSON.parse(text) as OasdiffChange[]);
}

/** oasdiff calls a change breaking when its level is error (3); warnings are "potentially breaking". */
export function oasdiffVerdict(changes: readonly OasdiffChange[]): 'breaking' | 'not-breaking' {
  return changes.some((c) => c.level === 3) ? 'breaking' : 'not-breaking';
}

export interface OpenApiPair {
  name: string;
  base: string;
  revision: string;
}

export const OPENAPI_PAIRS_DIR = join(ROOT, 'tests/fixtures/contracts/openapi-pairs');

/** The corpus: one folder per pair, holding base/revision as .yaml or .json, or base/ and revision/ folders for multi-file specs. */
export function openApiPairs(): OpenApiPair[] {
  return readdirSync(OPENAPI_PAIRS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const dir = join(OPENAPI_PAIRS_DIR, name);
      for (const [b, r] of [
        ['base.yaml', 'revision.yaml'],
        ['base.json', 'revision.json'],
        ['base/openapi.yaml', 'revision/openapi.yaml'],
      ] as const) {
        if (existsSync(join(dir, b))) return { name, base: join(dir, b), revision: join(dir, r) };
      }
      throw new Error(`corpus folder ${dir} has no base/revision pair`);
    });
}
