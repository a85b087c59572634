import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './paths.js';

export interface SmokeTools {
  /** A folder to put on PYTHONPATH: pytest then loads pytest-rerunfailures (--reruns). */
  pytestRerunfailures: string;
  gotestsum: string;
  /** The jest + jest-junit project, its node_modules installed. */
  jestFixture: string;
}

let installed: SmokeTools | undefined;

/**
 * The runners smoke-suite's tests run besides pytest, vitest and node:test, installed once by the
 * project's own script (tools/smoke-fixtures/install.sh: PyPI, the Go module proxy, the npm registry).
 * Fails with the reason when they cannot be installed: these tests never pass without the real runner.
 */
export function smokeTools(): SmokeTools {
  if (installed) return installed;
  const script = join(ROOT, 'tools/smoke-fixtures/install.sh');
  let out: string;
  try {
    out = execFileSync('bash', [script], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 900_000,
    });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(
      `the smoke test runners could not be installed by ${script} (it needs python3 with pip, Go, \`npm ci\` done, and the registries): ${(e.stderr ?? e.message).trim()}`,
    );
  }
  const get = (key: string) => {
    const line = out.split('\n').find((l) => l.startsWith(`${key}=`));
    if (!line) throw new Error(`${script} printed no ${key}= line:\n${out}`);
    return line.slice(key.length + 1);
  };
  installed = {
    pytestRerunfailures: get('pytest_rerunfailures'),
    gotestsum: get('gotestsum'),
    jestFixture: get('jest_fixture'),
  };
  return installed;
}
