import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  JUnitStreamParser,
  parseJUnitFile,
  parseJUnitString,
  JUnitParseError,
  JUnitRefusedError,
  type JUnitCase,
} from '../../src/lib/junit/index.js';
import { ROOT } from '../support/paths.js';

const REPORTS = join(ROOT, 'tests/fixtures/smoke/reports');
const read = (name: string) => readFileSync(join(REPORTS, name), 'utf8');

function casesOf(
  xml: string,
  opts = {},
): { cases: JUnitCase[]; summary: ReturnType<typeof parseJUnitString> } {
  const cases: JUnitCase[] = [];
  const summary = parseJUnitString(xml, { ...opts, onCase: (c) => cases.push(c) });
  return { cases, summary };
}

/** Feeds a document in pieces of `size` characters, as a stream would. */
function parseInChunks(xml: string, size: number, opts = {}) {
  const cases: JUnitCase[] = [];
  const engine = new JUnitStreamParser({ ...opts, onCase: (c) => cases.push(c) });
  for (let i = 0; i < xml.length; i += size) engine.write(xml.slice(i, i + size));
  return { cases, summary: engine.end() };
}

describe('JUnit engine: what the real writers produce', () => {
  it('pytest under xdist: counts, failure text with the traceback, skip reason', () => {
    const { cases, summary } = casesOf(read('xdist.xml'));
    expect(summary).toMatchObject({ tests: 5, passed: 3, failed: 1, errored: 0, skipped: 1, suites: 1 });
    const failed = cases.find((c) => c.status === 'failed')!;
    expect(failed.classname).toBe('suites.failing.test_failing');
    expect(failed.name).toBe('test_denies_unknown_tenant');
    expect(failed.message).toBe("AssertionError: decision 'allow' != 'deny'");
    expect(failed.text).toContain('suites/failing/checks.py:3: AssertionError');
    expect(failed.text).toContain('>       assert decision == expected');
    const skipped = cases.find((c) => c.status === 'skipped')!;
    expect(skipped.message).toBe('needs the training cluster');
  });

  it('pytest with junit_logging=all: system-out and system-err per case', () => {
    const { cases } = casesOf(read('pytest-logging.xml'));
    expect(cases).toHaveLength(5);
    const printing = cases.find((c) => c.name === 'test_prints_output')!;
    expect(printing.systemOut).toContain('Captured Out');
    expect(printing.systemErr).toContain('Captured Err');
  });

  it('vitest: classname is the file, the frame points into it, entities decoded', () => {
    const { cases, summary } = casesOf(read('vitest.xml'));
    expect(summary).toMatchObject({ tests: 2, passed: 1, failed: 1 });
    const failed = cases[1]!;
    expect(failed.classname).toBe('src/navigation.test.js');
    expect(failed.name).toBe('navigation > links each squad to its runbook');
    expect(failed.type).toBe('AssertionError');
    expect(failed.message).toContain(
      "expected 'docs/runbooks/experience.md' to be 'docs/runbooks/missing.md'",
    );
    expect(failed.text).toContain('❯ src/navigation.test.js:8:43');
  });

  it('node:test: file attribute on each case, skipped counted', () => {
    const { cases, summary } = casesOf(read('node-test.xml'));
    expect(summary).toMatchObject({ tests: 3, passed: 1, failed: 1, skipped: 1 });
    expect(cases[1]!.file).toBe('/workspace/web/nt/nt.test.mjs');
  });

  it('jest-junit: a suite that failed to run is an errored case; CDATA kept verbatim', () => {
    const { cases, summary } = casesOf(read('jest-junit.xml'));
    expect(summary).toMatchObject({ tests: 4, passed: 1, failed: 1, errored: 1, skipped: 1, suites: 2 });
    const broken = cases.find((c) => c.status === 'errored')!;
    expect(broken.message).toBe("Cannot find module './missing' from 'src/broken.test.js'");
    expect(broken.text).toContain('at Object.<anonymous> (src/broken.test.js:1:1)');
    expect(cases[1]!.text).toContain('at new Promise (<anonymous>)');
  });

  it('Surefire: root <testsuite>, properties, error vs failure, rerun and flaky failures', () => {
    const { cases, summary } = casesOf(read('surefire.xml'));
    expect(summary).toMatchObject({ tests: 5, passed: 2, failed: 1, errored: 1, skipped: 1, flaky: 1 });
    const failed = cases.find((c) => c.name === 'deniesUnknownTenant')!;
    expect(failed.type).toBe('org.opentest4j.AssertionFailedError');
    expect(failed.text).toContain(
      'at com.acme.policy.DecisionTest.deniesUnknownTenant(DecisionTest.java:27)',
    );
    expect(failed.systemOut).toBe('evaluating tenant=unknown\n');
    const flaky = cases.find((c) => c.name === 'retriesOnce')!;
    expect(flaky).toMatchObject({ status: 'passed', flaky: true, message: 'timeout' });
    expect(cases.find((c) => c.name === 'connectsToStore')!.systemErr).toBe('WARN store unavailable');
  });

  it('Ant: nested testsuites, case properties (attribute and text), missing attributes, odd times', () => {
    const { cases, summary } = casesOf(read('ant-nested.xml'));
    expect(summary).toMatchObject({ tests: 3, passed: 3, suites: 3 });
    expect(cases.map((c) => c.suite)).toEqual([
      'integration.policy',
      'integration.policy',
      'integration.orchestrator',
    ]);
    expect(cases[0]!.properties).toEqual([
      { name: 'trace_id', value: '4bf92f3577b34da6a3ce929d0e0e4736' },
      { name: 'note', value: 'multi\nline' },
    ]);
    expect(cases[0]!.time).toBe(1234.5);
    expect(cases[1]).toMatchObject({ name: 'no classname or time', classname: '', time: 0 });
    expect(cases[2]!.systemOut).toBe('line one\nline two & three');
  });

  it('gives the same result however the document is cut into chunks', () => {
    for (const name of ['xdist.xml', 'surefire.xml', 'jest-junit.xml', 'ant-nested.xml']) {
      const whole = casesOf(read(name));
      for (const size of [1, 7, 64]) {
        const chunked = parseInChunks(read(name), size);
        expect(chunked.summary, `${name} in chunks of ${size}`).toEqual(whole.summary);
        expect(chunked.cases).toEqual(whole.cases);
      }
    }
  });

  it('self-closing cases and a case with only a failure', () => {
    const { summary } = casesOf(
      '<testsuite><testcase name="a"/><testcase name="b"><failure/></testcase></testsuite>',
    );
    expect(summary).toMatchObject({ tests: 2, passed: 1, failed: 1 });
  });

  it('a leading byte-order mark is accepted', () => {
    expect(
      parseJUnitString('\uFEFF<testsuites><testsuite><testcase name="a"/></testsuite></testsuites>').tests,
    ).toBe(1);
  });
});

describe('JUnit engine: bounded memory', () => {
  it('caps failure text per case and says it did', () => {
    const big = 'x'.repeat(100_000);
    const { cases } = casesOf(
      `<testsuite><testcase name="a"><failure message="m">${big}</failure></testcase></testsuite>`,
      { maxFailureChars: 1000 },
    );
    expect(cases[0]!.text).toHaveLength(1000);
    expect(cases[0]!.textTruncated).toBe(true);
  });

  it('caps system-out, also when it arrives over many chunks and in CDATA', () => {
    const big = 'y'.repeat(3_000_000);
    for (const body of [big, `<![CDATA[${big}]]>`]) {
      const { cases } = parseInChunks(
        `<testsuite><testcase name="a"><system-out>${body}</system-out></testcase></testsuite>`,
        100_000,
        { maxOutputChars: 500 },
      );
      expect(cases[0]!.systemOut).toHaveLength(500);
      expect(cases[0]!.outputTruncated).toBe(true);
    }
  });

  it('keeps failures up to maxFailures and counts the rest', () => {
    const xml = `<testsuite>${Array.from({ length: 30 }, (_, i) => `<testcase name="t${i}"><failure/></testcase>`).join('')}</testsuite>`;
    const summary = parseJUnitString(xml, { maxFailures: 10 });
    expect(summary.failed).toBe(30);
    expect(summary.failures).toHaveLength(10);
    expect(summary.failuresOmitted).toBe(20);
  });
});

describe('JUnit engine: refuses what it must not read', () => {
  it('refuses a DTD before reading it (billion laughs)', () => {
    const levels = [
      '<!ENTITY lol "lol">',
      ...Array.from(
        { length: 9 },
        (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`,
      ),
    ];
    const bomb = `<?xml version="1.0"?>\n<!DOCTYPE testsuites [\n${levels.join('\n')}\n]>\n<testsuites><testsuite><testcase name="&lol9;"/></testsuite></testsuites>`;
    const err = captureError(() => parseJUnitString(bomb, { file: 'reports/bomb.xml' }));
    expect(err).toBeInstanceOf(JUnitRefusedError);
    expect(err.message).toMatch(/^reports\/bomb\.xml:2:0: refused: the report declares a DTD/);
  });

  it('refuses an external entity declaration', () => {
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><testsuites>&xxe;</testsuites>';
    expect(captureError(() => parseJUnitString(xxe))).toBeInstanceOf(JUnitRefusedError);
  });

  it('a DTD split across chunks is still refused', () => {
    const xml = '<?xml version="1.0"?><!DOC' + 'TYPE t [<!ENTITY a "b">]><testsuites/>';
    const engine = new JUnitStreamParser({ file: 'split.xml' });
    const err = captureError(() => {
      engine.write(xml.slice(0, 26));
      engine.write(xml.slice(26));
      engine.end();
    });
    expect(err).toBeInstanceOf(JUnitRefusedError);
  });

  it('an undeclared entity is a syntax error, not expanded', () => {
    const err = captureError(() => parseJUnitString('<testsuites>&lol;</testsuites>', { file: 'ent.xml' }));
    expect(err).toBeInstanceOf(JUnitParseError);
    expect(err.message).toMatch(/^ent\.xml:1:\d+: not well-formed XML: undefined entity/);
  });

  it('malformed XML names the file, line and column', () => {
    const xml =
      '<?xml version="1.0"?>\n<testsuites>\n  <testsuite name="broken">\n    <testcase name="a" classname="x">\n  </testsuite>\n</testsuites>\n';
    const err = captureError(() =>
      parseJUnitString(xml, { file: 'reports/malformed.xml' }),
    ) as JUnitParseError;
    expect(err).toBeInstanceOf(JUnitParseError);
    expect(err.line).toBe(5);
    expect(err.message).toMatch(/^reports\/malformed\.xml:5:\d+: not well-formed XML: unexpected close tag/);
  });

  it('an empty file, a truncated file and a non-JUnit document each get their own reason', () => {
    expect(captureError(() => parseJUnitString('', { file: 'e.xml' })).message).toMatch(
      /e\.xml.*root element/,
    );
    expect(
      captureError(() => parseJUnitString('<testsuites><testsuite>', { file: 't.xml' })).message,
    ).toMatch(/t\.xml.*not well-formed XML/);
    expect(captureError(() => parseJUnitString('<html><body/></html>', { file: 'h.xml' })).message).toMatch(
      /h\.xml:1:\d+: not a JUnit report: the root element is <html>/,
    );
  });

  it('parseJUnitFile streams a file from disk and names it in errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-junit-'));
    const good = join(dir, 'good.xml');
    writeFileSync(good, read('surefire.xml'));
    expect((await parseJUnitFile(good)).tests).toBe(5);
    const bad = join(dir, 'bad.xml');
    writeFileSync(bad, '<testsuites><testcase></testsuites>');
    await expect(parseJUnitFile(bad)).rejects.toThrow(`${bad}:1:`);
  });
});

function captureError(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error, got none');
}
