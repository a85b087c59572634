import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { NODE24, ROOT } from '../support/paths.js';
import { needsServers } from '../support/servers.js';

needsServers();

// The engine is run in a child Node with a deliberately tiny heap: if it held a report's text,
// expanded entities or built a tree, the child would die of "heap out of memory".
const dir = mkdtempSync(join(tmpdir(), 'cc-junit-mem-'));
const engine = join(dir, 'engine.mjs');
const HEAP_MB = 24;

function parseInChild(file: string): { status: number | null; out: string; err: string } {
  const script = `import { parseJUnitFile } from ${JSON.stringify(engine)};
try { const s = await parseJUnitFile(${JSON.stringify(file)}); const f = s.failures[0]; console.log(JSON.stringify({ tests: s.tests, failed: s.failed, out: f?.systemOut.length ?? null, text: f?.text.length ?? null, attributes: f ? [f.suite, f.classname, f.name, f.file, f.message].map((v) => v?.length ?? null) : null })); }
catch (e) { console.log(JSON.stringify({ error: e.name, message: e.message })); }`;
  const r = spawnSync(NODE24, [`--max-old-space-size=${HEAP_MB}`, '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, out: r.stdout.trim(), err: r.stderr };
}

async function writeBig(
  file: string,
  head: string,
  body: (i: number) => string,
  chunks: number,
  tail: string,
): Promise<void> {
  const out = createWriteStream(file);
  out.write(head);
  for (let i = 0; i < chunks; i++) if (!out.write(body(i))) await once(out, 'drain');
  out.end(tail);
  await once(out, 'finish');
}

describe(`the JUnit engine in a ${HEAP_MB} MB heap`, () => {
  beforeAll(async () => {
    await build({
      entryPoints: [join(ROOT, 'src/lib/junit/index.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      outfile: engine,
      logLevel: 'warning',
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a billion-laughs report without expanding it', () => {
    const levels = [
      '<!ENTITY lol "lol">',
      ...Array.from(
        { length: 9 },
        (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`,
      ),
    ];
    const file = join(dir, 'bomb.xml');
    writeFileSync(
      file,
      `<?xml version="1.0"?>\n<!DOCTYPE testsuites [\n${levels.join('\n')}\n]>\n<testsuites><testsuite><testcase name="&lol9;"/></testsuite></testsuites>\n`,
    );
    const r = parseInChild(file);
    expect(r.status, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      error: 'JUnitRefusedError',
      message: expect.stringContaining(`${file}:2:0: refused: the report declares a DTD`),
    });
  });

  it('reads a ~90 MB failure text full of entities, keeping only the capped part', async () => {
    const file = join(dir, 'huge-text.xml');
    const line = `${'log line with some & entities &amp; and text '.repeat(20)}\n`.replace(/& /g, '&amp; ');
    await writeBig(
      file,
      '<testsuites><testsuite name="s"><testcase name="big"><failure message="m">',
      () => line,
      100_000,
      '</failure><system-out>' +
        'o'.repeat(1000) +
        '</system-out></testcase><testcase name="ok"/></testsuite></testsuites>',
    );
    const r = parseInChild(file);
    expect(r.status, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ tests: 2, failed: 1, out: 1000, text: 16_384 });
  });

  it('reads a 300 MiB classname (and name, file, suite name) clipped as it is parsed, not held whole', async () => {
    const file = join(dir, 'huge-attribute.xml');
    const mib = 'k'.repeat(1024 * 1024);
    const huge = (name: string, mibs: number) => ({ head: ` ${name}="`, mibs });
    // One failing case whose attributes are 300 MiB, 20 MiB, 20 MiB and 20 MiB long, in a suite named by 20 MiB.
    const parts = [
      ['<testsuites><testsuite', huge('name', 20)],
      ['><testcase', huge('classname', 300), huge('name', 20), huge('file', 20)],
      ['><failure', huge('message', 20)],
    ] as const;
    const out = createWriteStream(file);
    for (const [tag, ...attributes] of parts) {
      out.write(tag);
      for (const a of attributes) {
        out.write(a.head);
        for (let i = 0; i < a.mibs; i++) if (!out.write(mib)) await once(out, 'drain');
        out.write('"');
      }
    }
    out.end('>boom</failure></testcase><testcase name="ok"/></testsuite></testsuites>');
    await once(out, 'finish');
    const r = parseInChild(file);
    expect(r.status, r.err).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      tests: 2,
      failed: 1,
      out: 0,
      text: 4,
      attributes: [4097, 4097, 4097, 4097, 4097],
    });
    rmSync(file, { force: true });
  }, 180_000);

  it('counts 300k cases without keeping them', async () => {
    const file = join(dir, 'many.xml');
    await writeBig(
      file,
      '<testsuites><testsuite name="s">',
      (i) =>
        `<testcase classname="tests.test_m" name="test_${i}" time="0.001"/>${i % 1000 === 0 ? `<testcase name="f${i}"><failure message="x">boom</failure></testcase>` : ''}`,
      300_000,
      '</testsuite></testsuites>',
    );
    const r = parseInChild(file);
    expect(r.status, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ tests: 300_300, failed: 300 });
  });
});
