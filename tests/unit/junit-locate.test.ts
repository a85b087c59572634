import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractFrames, locateFailure, parseJUnitString, type JUnitCase } from '../../src/lib/junit/index.js';
import { ROOT } from '../support/paths.js';

const REPORTS = join(ROOT, 'tests/fixtures/smoke/reports');
const WS = '/workspace';

/** The files that exist in the imagined workspace the captured reports came from. */
function ctx(files: string[], workingDirectory = WS, reportDirectory?: string) {
  const set = new Set(files.map((f) => join(WS, f)));
  return {
    workspace: WS,
    workingDirectory,
    ...(reportDirectory ? { reportDirectory } : {}),
    exists: (p: string) => set.has(p),
  };
}

function failuresOf(name: string): JUnitCase[] {
  return parseJUnitString(readFileSync(join(REPORTS, name), 'utf8')).failures;
}

describe('where a failure is annotated', () => {
  it('pytest: the innermost frame inside the repository, not the test function', () => {
    const [failed] = failuresOf('xdist.xml');
    const loc = locateFailure(failed!, ctx(['suites/failing/test_failing.py', 'suites/failing/checks.py']));
    expect(loc).toEqual({ file: 'suites/failing/checks.py', line: 3 });
  });

  it('pytest: a frame in site-packages is skipped for the innermost one in the repository', () => {
    const text =
      'tests/test_a.py:10: in test_a\n    client.get()\n/usr/lib/python3/dist-packages/requests/api.py:75: in get\n    raise ConnectionError\nE   ConnectionError';
    expect(locateFailure({ classname: 'tests.test_a', text }, ctx(['tests/test_a.py']))).toEqual({
      file: 'tests/test_a.py',
      line: 10,
    });
  });

  it('pytest: paths relative to the suite working directory become workspace-relative', () => {
    const text = 'policy/test_p.py:7: AssertionError';
    const loc = locateFailure(
      { classname: 'policy.test_p', text },
      ctx(['tests/integration/policy/test_p.py'], join(WS, 'tests/integration')),
    );
    expect(loc).toEqual({ file: 'tests/integration/policy/test_p.py', line: 7 });
  });

  it('pytest --tb=native: File "…", line N', () => {
    const text =
      'Traceback (most recent call last):\n  File "/workspace/svc/test_x.py", line 12, in test_x\n    check()\n  File "/workspace/svc/util.py", line 4, in check\n    raise ValueError\nValueError';
    expect(locateFailure({ classname: 'svc.test_x', text }, ctx(['svc/test_x.py', 'svc/util.py']))).toEqual({
      file: 'svc/util.py',
      line: 4,
    });
  });

  it('pytest xunit1: the 0-based line attribute, when the text names no frame', () => {
    expect(
      locateFailure(
        { classname: 'test_a', file: 'test_a.py', line: 7, text: 'fixture setup failed' },
        ctx(['test_a.py']),
      ),
    ).toEqual({ file: 'test_a.py', line: 8 });
  });

  it('pytest: falls back to the module named by the classname, without a line', () => {
    expect(
      locateFailure(
        { classname: 'suites.failing.test_failing.TestX', text: 'no frames' },
        ctx(['suites/failing/test_failing.py']),
      ),
    ).toEqual({ file: 'suites/failing/test_failing.py' });
  });

  it('vitest run through pnpm --filter: the frame is relative to the package, found from the report folder', () => {
    const [failed] = failuresOf('vitest.xml');
    const pkg = join(WS, 'web/packages/admin-console');
    const loc = locateFailure(
      failed!,
      ctx(['web/packages/admin-console/src/navigation.test.js'], join(WS, 'web'), join(pkg, 'reports')),
    );
    expect(loc).toEqual({ file: 'web/packages/admin-console/src/navigation.test.js', line: 8 });
  });

  it('jest-junit: the first frame in the case file (innermost), not the jest internals', () => {
    const failed = failuresOf('jest-junit.xml').find((c) => c.status === 'failed')!;
    expect(locateFailure(failed, ctx(['web/src/checkout.test.js']))).toEqual({
      file: 'web/src/checkout.test.js',
      line: 14,
    });
  });

  it('node:test: file URL frames are resolved', () => {
    const [failed] = failuresOf('node-test.xml');
    expect(locateFailure(failed!, ctx(['web/nt/nt.test.mjs']))).toEqual({
      file: 'web/nt/nt.test.mjs',
      line: 5,
    });
  });

  it('Surefire: JVM frames are found under the usual source roots', () => {
    const failed = failuresOf('surefire.xml').find((c) => c.status === 'failed')!;
    expect(locateFailure(failed, ctx(['src/test/java/com/acme/policy/DecisionTest.java']))).toEqual({
      file: 'src/test/java/com/acme/policy/DecisionTest.java',
      line: 27,
    });
  });

  it('nothing outside the workspace is ever named, and missing files are not guessed', () => {
    expect(
      locateFailure({ classname: '', text: '/etc/passwd.py:1: x\n../outside/t.py:3: y' }, ctx([])),
    ).toBeUndefined();
    expect(
      locateFailure({ classname: '', text: 'tests/gone.py:3: AssertionError' }, ctx(['tests/other.py'])),
    ).toBeUndefined();
  });

  it('extractFrames keeps text order across formats', () => {
    const frames = extractFrames('a/b.py:1: in x\n    at f (src/c.ts:2:3)\nFile "d.py", line 4');
    expect(frames.map((f) => [f.path, f.line, f.kind])).toEqual([
      ['a/b.py', 1, 'python'],
      ['src/c.ts', 2, 'js'],
      ['d.py', 4, 'python'],
    ]);
  });
});
