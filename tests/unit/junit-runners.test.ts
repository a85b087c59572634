import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  JUnitParseError,
  JUnitStreamParser,
  locateFailure,
  parseJUnitFile,
  parseJUnitString,
  findGoModules,
  parseGoModPath,
  parseGoWorkUses,
  packageDirectory,
  type JUnitEngineOptions,
} from '../../src/lib/junit/index.js';
import { ROOT } from '../support/paths.js';

// Reports captured from the real runners on the projects under tests/fixtures/smoke (paths made
// /workspace/...): pytest 9 + pytest-rerunfailures 16.7 (--reruns 2), pytest --color=yes, node 24's
// node:test junit reporter under FORCE_COLOR=1, gotestsum v1.13.0 --junitfile (and --rerun-fails=2 on a
// test that fails once), jest 30 + jest-junit 17.
const REPORTS = join(ROOT, 'tests/fixtures/smoke/reports');
const read = (name: string) => readFileSync(join(REPORTS, name), 'utf8');
const WS = '/workspace';

function ctx(files: string[], extra: Partial<Parameters<typeof locateFailure>[1]> = {}) {
  const set = new Set(files.map((f) => join(WS, f)));
  return { workspace: WS, workingDirectory: WS, exists: (p: string) => set.has(p), ...extra };
}

/** Feeds a document in pieces of `size` characters, as a stream would. */
function inChunks(xml: string, size: number, options: JUnitEngineOptions = {}) {
  const engine = new JUnitStreamParser(options);
  for (let i = 0; i < xml.length; i += size) engine.write(xml.slice(i, i + size));
  return engine.end();
}

function captureError(fn: () => unknown): JUnitParseError {
  try {
    fn();
  } catch (err) {
    return err as JUnitParseError;
  }
  throw new Error('expected an error');
}

const suite = (cases: string, root = '<testsuites>') =>
  `${root}<testsuite name="s">${cases}</testsuite></testsuites>`;
const pass = (name: string, classname = 'c') => `<testcase classname="${classname}" name="${name}"/>`;
const fail = (name: string, classname = 'c') =>
  `<testcase classname="${classname}" name="${name}"><failure message="boom">trace</failure></testcase>`;

describe('one test, one outcome: repeated test cases in one report', () => {
  it('pytest-rerunfailures (--reruns 2): 1 passed, 1 flaky, 1 failed, as 6 test cases on disk', () => {
    const xml = read('pytest-rerunfailures.xml');
    expect(xml.match(/<testcase /g)).toHaveLength(6); // what pytest wrote: every rerun is one more (empty) case
    const s = parseJUnitString(xml, { caseIds: { failed: 10, flaky: 10 } });
    expect(s).toMatchObject({ tests: 3, passed: 2, failed: 1, errored: 0, skipped: 0, flaky: 1, reruns: 3 });
    expect(s.caseIds).toMatchObject({
      failed: ['suites.reruns.test_reruns::test_always_fails'],
      flaky: ['suites.reruns.test_reruns::test_fails_first_run'],
    });
    expect(s.failures).toHaveLength(1);
    expect(s.failures[0]).toMatchObject({ name: 'test_always_fails', runs: 3, flaky: false });
  });

  it('gotestsum --rerun-fails=2: the failed run and the passing rerun are one flaky test', () => {
    const s = parseJUnitString(read('gotestsum-rerun-fails.xml'), { caseIds: { flaky: 5 } });
    expect(s).toMatchObject({ tests: 2, passed: 2, failed: 0, flaky: 1, reruns: 1 });
    expect(s.caseIds!.flaky).toEqual(['example.com/acme/services/billing::TestFlaky']);
  });

  it('a flaky test and a passing one: 2 passed, 1 of them flaky', () => {
    const xml = read('pytest-rerunfailures.xml')
      .replace(/<testcase classname="[^"]*" name="test_always_fails"[^]*?(?:\/>|<\/testcase>)/g, '')
      .replace(/failures="1"/, 'failures="0"')
      .replace(/tests="3"/, 'tests="2"');
    expect(parseJUnitString(xml)).toMatchObject({ tests: 2, passed: 2, failed: 0, flaky: 1, reruns: 1 });
  });

  it('the last run is the outcome: failed then passed is flaky; passed then failed is a failure, never flaky', () => {
    const s = parseJUnitString(suite(fail('a') + pass('b') + pass('a') + fail('b') + pass('c')), {
      caseIds: { failed: 10, flaky: 10, passed: ['c::a', 'c::b'] },
    });
    expect(s).toMatchObject({ tests: 3, passed: 2, failed: 1, flaky: 1, reruns: 2 });
    expect(s.caseIds).toEqual({ failed: ['c::b'], passed: ['c::a'], flaky: ['c::a'] });
  });

  it('outside pytest, a test written twice that passed both times is one test and not flaky', () => {
    expect(parseJUnitString(suite(pass('a') + pass('a') + pass('b')))).toMatchObject({
      tests: 2,
      passed: 2,
      flaky: 0,
      reruns: 1,
    });
  });

  it('pytest writing each test once per worker (--dist each: as many cases as its tests count) is counted as pytest counts it', () => {
    const xml = `<testsuites name="pytest tests"><testsuite name="pytest" tests="4">${pass('a') + pass('b') + pass('a') + pass('b')}</testsuite></testsuites>`;
    expect(parseJUnitString(xml)).toMatchObject({ tests: 4, passed: 4, flaky: 0, reruns: 0 });
  });

  it('identity is suite, classname, name and file: the same name elsewhere is another test', () => {
    const xml = `<testsuites><testsuite name="s1">${pass('a')}${pass('a', 'd')}<testcase classname="c" name="a" file="x.py"/></testsuite><testsuite name="s2">${pass('a')}</testsuite></testsuites>`;
    expect(parseJUnitString(xml)).toMatchObject({ tests: 4, reruns: 0 });
  });

  it('the failures kept are the last runs, in report order, and every run is in the time', () => {
    const xml = suite(
      `${fail('x')}<testcase classname="c" name="y" time="1"><failure>y1</failure></testcase>${pass('x')}<testcase classname="c" name="y" time="2"><failure>y2</failure></testcase>`,
    );
    const s = parseJUnitString(xml);
    expect(s.failures.map((c) => [c.name, c.text, c.runs])).toEqual([['y', 'y2', 2]]);
    expect(s.time).toBe(3);
  });

  it('the reads with exact identities (after two identities share a hash) give the same result', () => {
    const xml = read('pytest-rerunfailures.xml');
    const plainRead = new JUnitStreamParser();
    plainRead.write(xml);
    const plain = plainRead.end();
    // A pytest report logs no hashes on its first read; it holds more cases than it counts, so:
    expect([plainRead.hashesSkipped(), plainRead.mayRepeat()]).toEqual([true, true]);
    const first = new JUnitStreamParser({ hashEveryReport: true });
    first.write(xml);
    first.end();
    const plan = first.repeatPlan();
    expect(plan.byHash.size).toBe(2);
    const census = new JUnitStreamParser({ censusOf: new Set(plan.byHash.keys()) });
    census.write(xml);
    census.end();
    expect([...census.censusSoFar().values()].sort()).toEqual([2, 3]);
    const exact = new JUnitStreamParser({ repeats: { ...plan, byKey: census.censusSoFar() } });
    exact.write(xml);
    expect(exact.end()).toStrictEqual(parseJUnitString(xml));
    expect(plain.tests).toBe(6); // the first read alone counts every case
  });

  it('gives the same result however the report is cut into chunks, read from a file', async () => {
    const xml = read('pytest-rerunfailures.xml');
    const file = join(mkdtempSync(join(tmpdir(), 'cc-junit-reruns-')), 'r.xml');
    writeFileSync(file, xml);
    for (const size of [1, 13, 500])
      expect(await parseJUnitFile(file, { parallel: false, readChunkBytes: size })).toStrictEqual(
        parseJUnitString(xml, { file }),
      );
  });
});

describe('characters XML 1.0 forbids, and colour codes', () => {
  it('node:test under FORCE_COLOR=1: raw ESC characters are replaced, the report is read, noted with the first position', () => {
    const xml = read('node-test-color.xml');
    expect(xml).toContain('\x1b[');
    const s = parseJUnitString(xml);
    expect(s).toMatchObject({ tests: 4, passed: 1, failed: 1, skipped: 2 });
    expect(s.forbiddenCharacters).toMatchObject({ count: expect.any(Number), line: 4 });
    expect(s.forbiddenCharacters!.count).toBeGreaterThan(10);
    const failed = s.failures[0]!;
    expect(failed.message).toContain('+ actual - expected');
    for (const text of [failed.message!, failed.text])
      expect(text).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f]|\[3\dm/);
    expect(locateFailure(failed, ctx(['web/nt/colour.test.mjs']))).toEqual({
      file: 'web/nt/colour.test.mjs',
      line: 10,
    });
  });

  it('pytest --color=yes: "#x1B[…m" is stripped from the message and the traceback, and the frame still found', () => {
    const xml = read('pytest-color.xml');
    expect(xml).toContain('#x1B[');
    const s = parseJUnitString(xml);
    expect(s.forbiddenCharacters).toBeUndefined();
    const failed = s.failures[0]!;
    expect(failed.message).not.toContain('#x1B');
    expect(failed.text).not.toContain('#x1B');
    expect(failed.message).toContain("{'used': 12} != {'used': 10}");
    expect(locateFailure(failed, ctx(['suites/colour/test_colour.py']))).toEqual({
      file: 'suites/colour/test_colour.py',
      line: 6,
    });
  });

  it('a control character anywhere in text or attributes is replaced; names too', () => {
    const s = parseJUnitString(
      suite(
        '<testcase classname="c" name="bell\x07"><failure message="a\x01b">x\x1b[31mred\x1b[0m\x1by</failure></testcase>',
      ),
      { caseIds: { failed: 5 } },
    );
    expect(s.caseIds!.failed).toEqual(['c::bell\ufffd']);
    expect(s.failures[0]).toMatchObject({ message: 'a\ufffdb', text: 'xred\ufffdy' });
    expect(s.forbiddenCharacters).toEqual({ count: 5, line: 1, column: 67 });
  });

  it('still refused: "<" in an attribute value, and a control character in a tag name', () => {
    expect(captureError(() => parseJUnitString(suite('<testcase name="a<b"/>'))).message).toMatch(
      /not well-formed XML: disallowed character/,
    );
    expect(captureError(() => parseJUnitString(suite('<test\x01case name="a"/>'))).message).toMatch(
      /not well-formed XML/,
    );
  });
});

describe('jest-junit: todo counts as skipped', () => {
  it('test.todo, written as plain cases its root count leaves out, is skipped; test.skip too; the failure stays', () => {
    const s = parseJUnitString(read('jest-junit-todo.xml'));
    expect(s).toMatchObject({ tests: 5, passed: 1, failed: 1, skipped: 3, todo: 2 });
    expect(locateFailure(s.failures[0]!, ctx(['web/refunds/src/refunds.test.js']))).toEqual({
      file: 'web/refunds/src/refunds.test.js',
      line: 17,
    });
  });

  it('a jest-junit report without todo is left as it is, and a failing hook case (not in the count) is no todo', () => {
    expect(parseJUnitString(read('jest-junit.xml'))).toMatchObject({
      tests: 4,
      passed: 1,
      skipped: 1,
      todo: 0,
    });
    const hook = `<testsuites name="jest tests" tests="1" failures="0" errors="0"><testsuite name="s" tests="1">${pass('a')}<testcase classname="c" name="Test execution failure: could be caused by test hooks like 'afterAll'." time="0"><failure>x</failure></testcase></testsuite></testsuites>`;
    expect(parseJUnitString(hook)).toMatchObject({ tests: 2, passed: 1, failed: 1, todo: 0 });
  });

  it('only bare cases (nothing inside, time="0") can be todo', () => {
    const xml = `<testsuites name="jest tests" tests="1" failures="0" errors="0"><testsuite name="s" tests="1"><testcase classname="c" name="a" time="0.01"/><testcase classname="c" name="b" time="0.02"/></testsuite></testsuites>`;
    expect(parseJUnitString(xml)).toMatchObject({ passed: 2, todo: 0 });
  });
});

describe('Go: gotestsum reports annotated in the repository', () => {
  const files = ['go/go.mod', 'go/services/billing/calc.go', 'go/services/billing/calc_test.go'];
  const fixture = (rel: string) => readFileSync(join(ROOT, 'tests/fixtures/smoke/workspace', rel), 'utf8');
  const goCtx = ctx(files, {
    workingDirectory: join(WS, 'go'),
    goModules: [{ dir: join(WS, 'go'), path: 'example.com/acme' }],
    listDirectory: (dir: string) =>
      dir === join(WS, 'go/services/billing') ? ['calc.go', 'calc_test.go'] : [],
    readText: (abs: string) => (abs.startsWith(`${WS}/go/`) ? fixture(abs.slice(WS.length + 1)) : undefined),
  });
  const lineOf = (marker: string) =>
    fixture('go/services/billing/calc_test.go')
      .split('\n')
      .findIndex((l) => l.includes(marker)) + 1;

  it('each failure at its own line: the t.Errorf line, the subtest line, the parent test at its func, the panic in the code', () => {
    const s = parseJUnitString(read('gotestsum.xml'));
    expect(s).toMatchObject({ tests: 6, passed: 2, failed: 4 });
    const where = Object.fromEntries(s.failures.map((c) => [c.name, locateFailure(c, goCtx)]));
    expect(where).toEqual({
      TestAddFails: { file: 'go/services/billing/calc_test.go', line: lineOf('smoke-fixture: fails here') },
      'TestTable/bad/two': {
        file: 'go/services/billing/calc_test.go',
        line: lineOf('smoke-fixture: subtest fails here'),
      },
      TestTable: {
        file: 'go/services/billing/calc_test.go',
        line: lineOf('smoke-fixture: parent of a failing subtest'),
      },
      TestPerSeatPanics: {
        file: 'go/services/billing/calc.go',
        line:
          fixture('go/services/billing/calc.go')
            .split('\n')
            .findIndex((l) => l.includes('panics here')) + 1,
      },
    });
  });

  it('without go.mod the base name alone is not guessed in another folder', () => {
    const [failed] = parseJUnitString(read('gotestsum.xml')).failures;
    expect(locateFailure(failed!, ctx(files, { workingDirectory: join(WS, 'go') }))).toBeUndefined();
  });

  it('a -trimpath panic frame (module-relative) is mapped through go.mod too', () => {
    const text =
      'panic: boom\n\ngoroutine 7 [running]:\nexample.com/acme/services/billing.PerSeat(...)\n\texample.com/acme/services/billing/calc.go:8\ntesting.tRunner(0xc0, 0x5)\n\ttesting/testing.go:1792 +0xf4\n';
    expect(
      locateFailure(
        {
          classname: 'example.com/acme/services/billing',
          suite: 'example.com/acme/services/billing',
          name: 'TestX',
          text,
        },
        goCtx,
      ),
    ).toEqual({ file: 'go/services/billing/calc.go', line: 8 });
  });

  it('go.mod and go.work are read for module paths; an import path maps to the longest module', () => {
    expect(parseGoModPath('// comment\nmodule "example.com/acme" // the module\n\ngo 1.22\n')).toBe(
      'example.com/acme',
    );
    expect(parseGoWorkUses('go 1.22\n\nuse (\n\t./billing // svc\n\t"./ledger"\n)\nuse ./tools\n')).toEqual([
      './billing',
      './ledger',
      './tools',
    ]);
    const mods = [
      { dir: '/r', path: 'example.com/acme' },
      { dir: '/r/ledger', path: 'example.com/acme/ledger' },
    ];
    expect(packageDirectory('example.com/acme/ledger/entries', mods)).toBe('/r/ledger/entries');
    expect(packageDirectory('example.com/acme', mods)).toBe('/r');
    expect(packageDirectory('example.com/acmex', mods)).toBeUndefined();
    expect(
      findGoModules(
        join(ROOT, 'tests/fixtures/smoke/workspace/go/services/billing'),
        join(ROOT, 'tests/fixtures/smoke/workspace'),
      ),
    ).toEqual([{ dir: join(ROOT, 'tests/fixtures/smoke/workspace/go'), path: 'example.com/acme' }]);
  });
});

describe('every attribute is clipped as it is read', () => {
  it('classname, name, file and suite name: 4096 characters and an ellipsis, whatever the chunking', () => {
    const huge = 'k'.repeat(300_000);
    const xml = `<testsuites><testsuite name="${huge}" file="${huge}"><testcase classname="${huge}" name="${huge}" file="${huge}" time="${'9'.repeat(200_000)}"><failure message="${huge}" type="${huge}">x</failure></testcase></testsuite></testsuites>`;
    const whole = parseJUnitString(xml);
    const c = whole.failures[0]!;
    for (const v of [c.suite, c.classname, c.name, c.file!, c.message!, c.type!])
      expect(v).toBe(`${'k'.repeat(4096)}…`);
    expect(c.time).toBe(0);
    for (const size of [1_000, 64 * 1024, 100_003]) expect(inChunks(xml, size)).toStrictEqual(whole);
  });

  it('absurd names, entity references and attribute counts are refused, not held', () => {
    expect(
      captureError(() => inChunks(suite(`<testcase ${'n'.repeat(2 * 1024 * 1024)}="x"/>`), 64 * 1024))
        .message,
    ).toMatch(/refused: a tag, attribute or entity name longer than/);
    expect(
      captureError(() => inChunks(suite(`<testcase name="&${'e'.repeat(2 * 1024 * 1024)};"/>`), 64 * 1024))
        .message,
    ).toMatch(/refused: a tag, attribute or entity name longer than/);
    const attrs = Array.from({ length: 12_000 }, (_, i) => `a${i}="x"`).join(' ');
    expect(captureError(() => inChunks(suite(`<testcase name="t" ${attrs}/>`), 16 * 1024)).message).toMatch(
      /refused: a tag with more than 10000 attributes/,
    );
  });
});
