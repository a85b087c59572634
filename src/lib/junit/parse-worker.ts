// Entry of the worker thread that reads one part of a large JUnit report (see parallel.ts).
// scripts/build.mjs bundles it beside each action that reads reports (dist/<action>/junit-worker.js),
// where parallel.ts finds it at run time. It parses with the same engine, so the same saxes and the
// same caseId, as the thread that started it.
import { servePartJob } from './parallel.js';

servePartJob();
