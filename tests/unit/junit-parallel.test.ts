import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import {
  parseJUnitFile,
  parseJUnitFileParallel,
  JUnitParseError,
  JUnitRefusedError,
  caseId,
  type JUnitEngineOptions,
} from '../../src/lib/junit/index.js';
import { NODE24, ROOT } from '../support/paths.js';

// Real files, real worker threads. A worker thread cannot load the TypeScript source (its imports
// name .js files), so the worker entry is built with esbuild first, as scripts/build.mjs builds it
// beside the action; thresholds are lowered so that reports of a few MB are split.
const dir = mkdtempSync(join(tmpdir(), 'cc-junit-parallel-'));
const worker = join(dir, 'junit-worker.mjs');
const split = (parts: number): JUnitEngineOptions => ({
  parallelMinBytes: 0,
  parallelParts: parts,
  parallelWorker: worker,
});

type Generate = (file: string, cases: number) => Promise<number>;

/** Parses `file` in `parts` parts and on one thread; both must give the same summary. */
async function both(file: string, parts: number, options: JUnitEngineOptions = {}) {
  const parallel = await parseJUnitFileParallel(file, { ...options, ...split(parts) });
  const sequential = await parseJUnitFile(file, { ...options, parallel: false });
  expect(parallel.summary).toStrictEqual(sequential);
  return { parallel, sequential };
}

async function errorOf(p: Promise<unknown>): Promise<JUnitParseError> {
  try {
    await p;
  } catch (err) {
    return err as JUnitParseError;
  }
  throw new Error('expected the parse to fail');
}

/** The same error, field by field, from the parallel entry point and from a sequential parse. */
async function sameError(file: string, parts: number) {
  const parallel = await errorOf(parseJUnitFileParallel(file, split(parts)));
  const sequential = await errorOf(parseJUnitFile(file, { parallel: false }));
  expect(sequential).toBeInstanceOf(JUnitParseError);
  expect(parallel.constructor).toBe(sequential.constructor);
  expect({
    message: parallel.message,
    reason: parallel.reason,
    line: parallel.line,
    column: parallel.column,
  }).toEqual({
    message: sequential.message,
    reason: sequential.reason,
    line: sequential.line,
    column: sequential.column,
  });
  return sequential;
}

function vitestStyle(suites: number, casesPerSuite: number): string {
  const out: string[] = [
    `<?xml version="1.0" encoding="UTF-8" ?>\n<testsuites name="vitest tests" tests="${suites * casesPerSuite}" failures="0" errors="0" time="12.5">\n`,
  ];
  for (let s = 0; s < suites; s++) {
    // `>` and quotes inside attribute values: the start tag copied into a primed prefix must end at the real `>`.
    const name =
      s % 7 === 0 ? `tests/unit/odd ${s} -> "quoted" 'x' > y.test.ts` : `tests/unit/module-${s}.test.ts`;
    const esc = name.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    const file = s % 3 === 0 ? ` file="${esc}"` : '';
    out.push(
      `    <testsuite name="${esc}" timestamp="2026-11-25T10:00:00.000Z" hostname="runner" tests="${casesPerSuite}" failures="0" errors="0" skipped="0" time="0.5"${file}>\n`,
    );
    for (let c = 0; c < casesPerSuite; c++) {
      const head = `        <testcase classname="${esc}" name="module ${s} &gt; does thing ${c} – ünïcode ✓" time="0.00${(s * 7 + c) % 10}"`;
      const k = (s * casesPerSuite + c) % 17;
      if (k === 3)
        out.push(
          `${head}>\n            <failure message="expected 1 to be 2 // Object.is equality" type="AssertionError">AssertionError: expected 1 to be 2\n ❯ tests/unit/module-${s}.test.ts:${c + 3}:17\n</failure>\n        </testcase>\n`,
        );
      else if (k === 5) out.push(`${head}>\n            <skipped/>\n        </testcase>\n`);
      else if (k === 9)
        out.push(
          `${head}>\n            <system-out>\nlog line ${c} &amp; more\n            </system-out>\n        </testcase>\n`,
        );
      else out.push(`${head}>\n        </testcase>\n`);
    }
    out.push('    </testsuite>\n');
  }
  out.push('</testsuites>\n');
  return out.join('');
}

function surefireStyle(cases: number): string {
  const out: string[] = [
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="https://maven.apache.org/surefire/maven-surefire-plugin/xsd/surefire-test-report.xsd" version="3.0" name="com.example.BigTest" time="42.1" tests="${cases}" errors="0" skipped="0" failures="0">\n`,
    '  <properties>\n    <property name="java.version" value="21.0.2"/>\n    <property name="os.name" value="Linux"/>\n  </properties>\n',
  ];
  for (let i = 0; i < cases; i++) {
    const head = `  <testcase name="shouldHandle${i}" classname="com.example.BigTest" time="${(i % 13) / 100}"`;
    switch (i % 23) {
      case 1:
        out.push(
          `${head}>\n    <failure message="expected: &lt;1&gt; but was: &lt;2&gt;" type="org.opentest4j.AssertionFailedError"><![CDATA[org.opentest4j.AssertionFailedError: expected: <1> but was: <2>\n\tat com.example.BigTest.shouldHandle${i}(BigTest.java:${i % 400})\n]]></failure>\n    <system-out><![CDATA[out ${i}]]></system-out>\n  </testcase>\n`,
        );
        break;
      case 2:
        out.push(
          `${head}>\n    <error message="boom" type="java.lang.IllegalStateException">java.lang.IllegalStateException: boom\n\tat com.example.BigTest.shouldHandle${i}(BigTest.java:9)</error>\n  </testcase>\n`,
        );
        break;
      case 3:
        out.push(`${head}>\n    <skipped message="disabled"/>\n  </testcase>\n`);
        break;
      case 4:
        out.push(
          `${head}>\n    <flakyFailure message="flaky once" type="java.lang.AssertionError"><stackTrace>at x</stackTrace></flakyFailure>\n  </testcase>\n`,
        );
        break;
      default:
        out.push(`${head}/>\n`);
    }
  }
  out.push('</testsuite>\n');
  return out.join('');
}

function antNested(outerSuites: number, innerSuites: number, cases: number): string {
  const out: string[] = ['<?xml version="1.0"?>\n<testsuites>\n'];
  for (let o = 0; o < outerSuites; o++) {
    out.push(`<testsuite name="outer-${o}" tests="${innerSuites * cases}">\n`);
    for (let n = 0; n < innerSuites; n++) {
      out.push(`  <testsuite name="inner-${o}-${n}" package="org.example" tests="${cases}">\n`);
      for (let c = 0; c < cases; c++) {
        out.push(
          c % 11 === 4
            ? `    <testcase classname="org.example.T${n}" name="t${c}" time="0.01"><failure message="m">trace ${c}</failure></testcase>\n`
            : `    <testcase classname="org.example.T${n}" name="t${c}" time="0.01"/>\n`,
        );
      }
      out.push('  </testsuite>\n');
    }
    out.push('</testsuite>\n');
  }
  out.push('</testsuites>\n');
  return out.join('');
}

function plainCases(from: number, count: number): string {
  let out = '';
  for (let i = from; i < from + count; i++)
    out += `<testcase classname="tests.test_mod" name="test_${i}" time="0.${i % 10}"${i % 13 === 0 ? '><failure message="no">x</failure></testcase>' : '/>'}\n`;
  return out;
}

/**
 * A report whose midpoint falls inside `wrap(filler + '<testcase name="fake"/>')` (a CDATA section or a
 * comment, in a case's output or straight under the suite): the first `<testcase` after the midpoint is not a tag.
 */
function decoyAtMidpoint(wrap: (inner: string) => string): string {
  const head = '<?xml version="1.0"?>\n<testsuites><testsuite name="pytest">\n' + plainCases(0, 2_000);
  const filler = 'f'.repeat(40_000);
  const decoy = `${wrap(`${filler}<testcase name="fake"/> after`)}\n`;
  const fillerStart = head.length + decoy.indexOf(filler);
  const tailCases = plainCases(2_000, 1_500);
  const end = '</testsuite></testsuites>\n';
  // Choose the tail's length so that the midpoint lands in the middle of the filler.
  const want = 2 * (fillerStart + filler.length / 2) - head.length - decoy.length;
  const pad = want - tailCases.length - end.length;
  if (pad < 0) throw new Error('test setup: the tail is too long');
  const xml = head + decoy + tailCases + ' '.repeat(pad) + end;
  const mid = Math.floor(xml.length / 2);
  if (mid < fillerStart || mid > fillerStart + filler.length)
    throw new Error('test setup: the midpoint is not in the filler');
  return xml;
}

describe('JUnit engine: a large report read in parallel parts', () => {
  let pytest: string;
  let generate: Generate;

  beforeAll(async () => {
    await build({
      entryPoints: [join(ROOT, 'src/lib/junit/parse-worker.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      outfile: worker,
      logLevel: 'warning',
    });
    generate = (
      (await import(pathToFileURL(join(ROOT, 'bench/junit-generate.mjs')).href)) as {
        generatePytestJUnit: Generate;
      }
    ).generatePytestJUnit;
    pytest = join(dir, 'pytest.xml');
    await generate(pytest, 12_000);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('pytest: really split, and the same summary as one thread (counts, time to the last bit, failures in order)', async () => {
    const { parallel, sequential } = await both(pytest, 3, { maxFailures: 1_000 });
    expect(parallel.parts).toBe(3);
    expect(parallel.sequentialBecause).toBeUndefined();
    expect(sequential.tests).toBe(12_000);
    expect(sequential.failures.length).toBe(240);
    expect(sequential.suites).toBe(1);
  });

  it('pytest: failures capped across parts, and case ids (failed ones, watched passed ones) in report order', async () => {
    const id = (i: number) =>
      caseId(
        `tests.integration.staging.${['policy.test_decisions', 'policy.test_constitution_sync', 'orchestrator.test_streaming_sessions', 'orchestrator.test_training_mode', 'admin.test_tenant_settings'][i % 5]}.${['TestTenantDecisions', 'TestConstitutionBundle', 'TestStreamingLatency', 'TestTrainingModePerTenant', 'TestAuditTrail'][i % 5]}`,
        `test_case_${String(i).padStart(7, '0')}_is_applied_per_tenant[tenant-${String(i % 997).padStart(4, '0')}-shadow-mode]`,
      );
    // Passed cases from the start, the middle and the end of the report, and a failed one (not reported as passed).
    const watched = new Set([id(1), id(5_001), id(11_998), id(7), 'not::there']);
    const { parallel, sequential } = await both(pytest, 3, {
      maxFailures: 100,
      caseIds: { failed: 150, passed: watched },
    });
    expect(parallel.parts).toBe(3);
    expect(sequential.failures.length).toBe(100);
    expect(sequential.failuresOmitted).toBe(140);
    expect(sequential.caseIds!.failed.length).toBe(150);
    expect(sequential.caseIds!.failed[0]).toBe(id(7));
    expect(sequential.caseIds!.passed).toEqual([id(1), id(5_001), id(11_998)]);
    // The same through parseJUnitFile (which uses the parallel path by default).
    expect(
      await parseJUnitFile(pytest, {
        maxFailures: 100,
        caseIds: { failed: 150, passed: [...watched] },
        ...split(3),
      }),
    ).toStrictEqual(sequential);
  });

  it('onCase keeps the read on one thread (a callback cannot cross threads)', async () => {
    let n = 0;
    const r = await parseJUnitFileParallel(pytest, { ...split(2), onCase: () => n++ });
    expect(r.parts).toBe(1);
    expect(n).toBe(12_000);
  });

  it('vitest/jest style: many testsuites under <testsuites>, `>` and quotes in their attributes', async () => {
    const file = join(dir, 'vitest.xml');
    writeFileSync(file, vitestStyle(300, 40));
    for (const parts of [2, 3, 4]) {
      const { parallel, sequential } = await both(file, parts, { maxFailures: 10_000 });
      expect(parallel.parts).toBe(parts);
      expect(sequential).toMatchObject({ tests: 12_000, suites: 300 });
    }
  });

  it('Surefire: the root is a <testsuite>', async () => {
    const file = join(dir, 'surefire.xml');
    writeFileSync(file, surefireStyle(20_000));
    const { parallel, sequential } = await both(file, 3, { maxFailures: 10_000 });
    expect(parallel.parts).toBe(3);
    expect(sequential).toMatchObject({ tests: 20_000, suites: 1 });
    expect(sequential.flaky).toBeGreaterThan(0);
    expect(sequential.errored).toBeGreaterThan(0);
  });

  it('Ant: nested testsuites defeat the guess, which the check catches: read on one thread, same result', async () => {
    const file = join(dir, 'ant.xml');
    writeFileSync(file, antNested(4, 10, 500));
    const { parallel, sequential } = await both(file, 3, { maxFailures: 10_000 });
    expect(parallel.parts).toBe(1);
    // The part under the wrong guess meets the outer suite's close tag and fails, or the check at its cut does.
    expect(parallel.sequentialBecause).toMatch(/^part \d+: .*unexpected close tag|guess at the cut/);
    expect(sequential).toMatchObject({ tests: 20_000, suites: 44 });
  });

  const inOutput = (inner: string) =>
    `<testcase classname="tests.test_mod" name="with_output"><system-out>${inner}</system-out></testcase>`;
  it.each([
    ['CDATA in system-out', (inner: string) => inOutput(`<![CDATA[${inner}]]>`), 3_501],
    ['a comment in system-out', (inner: string) => inOutput(`<!-- ${inner} -->`), 3_501],
  ])(
    'a "<testcase" inside %s right at the cut: the check fails, read on one thread, same result',
    async (_, wrap, tests) => {
      const file = join(dir, 'decoy.xml');
      writeFileSync(file, decoyAtMidpoint(wrap));
      const { parallel, sequential } = await both(file, 2);
      expect(parallel.parts).toBe(1);
      // Part 0 ends inside the CDATA section or comment (the check fails), or part 1 meets its end and errors.
      expect(parallel.sequentialBecause).toMatch(/^part 1: |guess at the cut before part 1/);
      expect(sequential.tests).toBe(tests);
    },
  );

  it('a cut inside a comment that parses cleanly from there is caught by the text-state check alone', async () => {
    // Part 1 would read `<testcase name="fake"/> after -->` as a case and some text; the element stacks
    // agree, only part 0's state at the cut (inside a comment) gives the guess away.
    const file = join(dir, 'comment-decoy.xml');
    writeFileSync(
      file,
      decoyAtMidpoint((inner) => `<!-- ${inner} -->`),
    );
    const { parallel } = await both(file, 2);
    expect(parallel.sequentialBecause).toBe('the guess at the cut before part 1 was wrong');
  });

  it('a wrong guess that parses without error (a "<testsuite" in CDATA before the cut) is caught by the check alone', async () => {
    // The backward search finds the decoy start tag, so part 1 would be primed with <testsuite name="decoy">:
    // every element name matches and nothing fails, but its cases would get the wrong suite name.
    const file = join(dir, 'suite-decoy.xml');
    const decoy =
      '<testcase classname="tests.test_mod" name="logs"><system-out><![CDATA[<testsuite name="decoy">]]></system-out></testcase>\n';
    writeFileSync(
      file,
      `<?xml version="1.0"?>\n<testsuites><testsuite name="real">\n${plainCases(0, 1_000)}${decoy}${plainCases(1_000, 10_000)}</testsuite></testsuites>\n`,
    );
    const { parallel, sequential } = await both(file, 2);
    expect(parallel.parts).toBe(1);
    expect(parallel.sequentialBecause).toBe('the guess at the cut before part 1 was wrong');
    expect(sequential.failures.every((c) => c.suite === 'real')).toBe(true);
  });

  it('a test rerun in another part (pytest-rerunfailures): read on one thread, its last run counts', async () => {
    const file = join(dir, 'reruns.xml');
    // test_0 fails at the start and passes on its rerun at the end.
    const rerun = '<testcase classname="tests.test_mod" name="test_0" time="0.1"/>\n';
    writeFileSync(
      file,
      `<?xml version="1.0"?>\n<testsuites name="pytest tests"><testsuite name="pytest" tests="20000">\n${plainCases(0, 20_000)}${rerun}</testsuite></testsuites>\n`,
    );
    const { parallel, sequential } = await both(file, 3, { caseIds: { failed: 10_000, flaky: 10 } });
    expect(parallel.parts).toBe(1);
    expect(parallel.sequentialBecause).toBe('pytest wrote more test cases than it counts (reruns)');
    expect(sequential).toMatchObject({ tests: 20_000, reruns: 1, flaky: 1 });
    expect(sequential.caseIds!.failed).not.toContain('tests.test_mod::test_0');
    expect(sequential.caseIds!.flaky).toEqual(['tests.test_mod::test_0']);
    // Not pytest: the parts' identity hashes meet.
    const other = join(dir, 'reruns-other.xml');
    writeFileSync(
      other,
      `<?xml version="1.0"?>\n<testsuites><testsuite name="go" tests="20001">\n${plainCases(0, 20_000)}${rerun}</testsuite></testsuites>\n`,
    );
    const b = await both(other, 3, { caseIds: { failed: 10_000, flaky: 10 } });
    expect(b.parallel.sequentialBecause).toBe('a test occurs more than once (its last run counts)');
    expect(b.sequential).toMatchObject({ tests: 20_000, reruns: 1, flaky: 1 });
  });

  it('jest-junit with test.todo over several parts: the todo count is the sum of the parts', async () => {
    const file = join(dir, 'jest-todo.xml');
    const suites: string[] = [];
    let declared = 0;
    let failures = 0;
    for (let s = 0; s < 400; s++) {
      const cases: string[] = [];
      for (let c = 0; c < 30; c++) {
        const name = `refunds ${s} case ${c}`;
        if (c % 10 === 3)
          cases.push(`<testcase classname="${name}" name="${name}" time="0"></testcase>`); // todo
        else if (c % 10 === 5)
          cases.push(`<testcase classname="${name}" name="${name}" time="0"><skipped/></testcase>`);
        else if (c % 10 === 7)
          cases.push(
            `<testcase classname="${name}" name="${name}" time="0.002"><failure>Error: no\n    at Object.toBe (src/r${s}.test.js:${c}:3)</failure></testcase>`,
          );
        else cases.push(`<testcase classname="${name}" name="${name}" time="0"></testcase>`);
        if (c % 10 !== 3) declared++;
        if (c % 10 === 7) failures++;
      }
      suites.push(
        `  <testsuite name="refunds ${s}" errors="0" failures="3" skipped="3" time="0.3" tests="27">\n    ${cases.join('\n    ')}\n  </testsuite>\n`,
      );
    }
    writeFileSync(
      file,
      `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="jest tests" tests="${declared}" failures="${failures}" errors="0" time="12">\n${suites.join('')}</testsuites>\n`,
    );
    const { parallel, sequential } = await both(file, 3, { maxFailures: 10_000 });
    expect(parallel.parts).toBe(3);
    expect(sequential).toMatchObject({
      tests: 12_000,
      todo: 1_200,
      skipped: 2_400,
      failed: 1_200,
      passed: 8_400,
    });
  });

  it('a forbidden character after the first part: read on one thread (the notice says where); in the first part: still parallel', async () => {
    const late = join(dir, 'forbidden-late.xml');
    const lines = plainCases(0, 20_000).split('\n');
    lines.splice(
      15_000,
      0,
      '<testcase classname="tests.test_mod" name="coloured"><failure message="\x1b[31mred\x1b[0m">x</failure></testcase>',
    );
    writeFileSync(late, `<testsuites><testsuite name="s">\n${lines.join('\n')}</testsuite></testsuites>\n`);
    const a = await both(late, 3);
    expect(a.parallel.parts).toBe(1);
    expect(a.parallel.sequentialBecause).toBe(
      "part 2 holds characters XML forbids (their position is the sequential read's)",
    );
    expect(a.sequential.forbiddenCharacters).toEqual({ count: 2, line: 15_002, column: expect.any(Number) });
    const early = join(dir, 'forbidden-early.xml');
    lines.splice(15_000, 1);
    lines.splice(
      10,
      0,
      '<testcase classname="tests.test_mod" name="coloured"><failure message="\x1b[31mred\x1b[0m">x</failure></testcase>',
    );
    writeFileSync(early, `<testsuites><testsuite name="s">\n${lines.join('\n')}</testsuite></testsuites>\n`);
    const b = await both(early, 3);
    expect(b.parallel.parts).toBe(3);
    expect(b.sequential.forbiddenCharacters).toMatchObject({ count: 2, line: 12 });
  });

  it('malformed XML in the second half: the error (message, line, column) is the sequential one', async () => {
    const file = join(dir, 'malformed.xml');
    const lines = plainCases(0, 20_000).split('\n');
    lines.splice(
      15_000,
      0,
      '<testcase classname="tests.test_mod" name="broken"><failure message="x">oops</testcase>',
    );
    writeFileSync(
      file,
      `<?xml version="1.0"?>\n<testsuites>\n<testsuite name="s">\n${lines.join('\n')}</testsuite>\n</testsuites>\n`,
    );
    const err = await sameError(file, 3);
    expect(err.line).toBe(15_004);
    expect(err.message).toMatch(/not well-formed XML: unexpected close tag/);
  });

  it('a truncated report (unclosed elements at the end): the sequential error', async () => {
    const file = join(dir, 'truncated.xml');
    writeFileSync(file, `<testsuites><testsuite name="s">\n${plainCases(0, 20_000)}`);
    const err = await sameError(file, 3);
    expect(err.message).toMatch(/not well-formed XML/);
  });

  it('an error only the last part sees after the root closed (a second root): the sequential error', async () => {
    const file = join(dir, 'two-roots.xml');
    writeFileSync(
      file,
      `<testsuites><testsuite name="s">\n${plainCases(0, 20_000)}</testsuite></testsuites>\n<testsuites/>\n`,
    );
    await sameError(file, 3);
  });

  it('a DTD is refused, as on one thread', async () => {
    const file = join(dir, 'dtd.xml');
    writeFileSync(
      file,
      `<?xml version="1.0"?>\n<!DOCTYPE testsuites [<!ENTITY x "y">]>\n<testsuites><testsuite name="s">\n${plainCases(0, 20_000)}</testsuite></testsuites>\n`,
    );
    const err = await sameError(file, 3);
    expect(err).toBeInstanceOf(JUnitRefusedError);
    expect(err.line).toBe(2);
  });

  it('a bundle of the engine finds junit-worker.js beside it (as scripts/build.mjs lays out an action); without it, one thread', async () => {
    const lib = join(dir, 'lib');
    rmSync(lib, { recursive: true, force: true });
    const engine = join(lib, 'engine.mjs');
    await build({
      entryPoints: [join(ROOT, 'src/lib/junit/index.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      outfile: engine,
      logLevel: 'warning',
    });
    const script = `import { parseJUnitFileParallel, parseJUnitFile } from ${JSON.stringify(pathToFileURL(engine).href)};
const p = await parseJUnitFileParallel(${JSON.stringify(pytest)}, { parallelMinBytes: 0, parallelParts: 2 });
const s = await parseJUnitFile(${JSON.stringify(pytest)}, { parallel: false });
console.log(JSON.stringify({ parts: p.parts, why: p.sequentialBecause ?? null, same: JSON.stringify(p.summary) === JSON.stringify(s), tests: p.summary.tests }));`;
    const run = () => {
      const r = spawnSync(NODE24, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout.trim()) as unknown;
    };
    expect(run()).toEqual({ parts: 1, why: 'no worker script found', same: true, tests: 12_000 });
    await build({
      entryPoints: [join(ROOT, 'src/lib/junit/parse-worker.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      outfile: join(lib, 'junit-worker.js'),
      logLevel: 'warning',
    });
    expect(run()).toEqual({ parts: 2, why: null, same: true, tests: 12_000 });
  });
});
