// One parse in a fresh process: `node junit-parse-worker.mjs <parser> <file> [engine.mjs]`.
// Reads the report, parses it, and reduces it to the numbers a reporter needs (tests, failures),
// then prints {ms, cpuMs, maxRssMB, tests, failures} as JSON. Peers get the whole file as a string, as
// their reporters do; our engine streams it.
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

const [parser, file, enginePath] = process.argv.slice(2);
const t0 = performance.now();
let tests = 0;
let failures = 0;

const asArray = (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

if (parser === 'engine') {
  const { parseJUnitFile } = await import(pathToFileURL(enginePath).href);
  const summary = await parseJUnitFile(file, { maxFailures: 0 });
  tests = summary.tests;
  failures = summary.failed + summary.errored;
} else if (parser === 'xml2js') {
  const { parseStringPromise } = await import('xml2js');
  const doc = await parseStringPromise(await readFile(file, 'utf8'));
  for (const suite of asArray(doc.testsuites?.testsuite)) {
    for (const tc of asArray(suite.testcase)) {
      tests++;
      if (tc.failure || tc.error) failures++;
    }
  }
} else if (parser === 'xml-js') {
  const { xml2js } = await import('xml-js');
  const doc = xml2js(await readFile(file, 'utf8'), { compact: true });
  for (const suite of asArray(doc.testsuites?.testsuite)) {
    for (const tc of asArray(suite.testcase)) {
      tests++;
      if (tc.failure || tc.error) failures++;
    }
  }
} else if (parser === 'fast-xml-parser') {
  const { XMLParser } = await import('fast-xml-parser');
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_' }).parse(
    await readFile(file, 'utf8'),
  );
  for (const suite of asArray(doc.testsuites?.testsuite)) {
    for (const tc of asArray(suite.testcase)) {
      tests++;
      if (tc.failure !== undefined || tc.error !== undefined) failures++;
    }
  }
} else {
  throw new Error(`unknown parser ${parser}`);
}

const ms = performance.now() - t0;
const usage = process.resourceUsage();
// CPU time (all threads, GC helpers included) is what the parse cost, whatever else the machine runs.
const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
process.stdout.write(`${JSON.stringify({ ms, cpuMs, maxRssMB: usage.maxRSS / 1024, tests, failures })}\n`);
