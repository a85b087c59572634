// Writes a pytest-style JUnit report of `cases` test cases: 2 % failures with ~3 KB tracebacks,
// 10 % with captured system-out, long pytest-like class and test names. Deterministic (seeded).
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const MODULES = [
  'policy.test_decisions',
  'policy.test_constitution_sync',
  'orchestrator.test_streaming_sessions',
  'orchestrator.test_training_mode',
  'admin.test_tenant_settings',
];
const CLASSES = [
  'TestTenantDecisions',
  'TestConstitutionBundle',
  'TestStreamingLatency',
  'TestTrainingModePerTenant',
  'TestAuditTrail',
];

function traceback(i, module) {
  const path = `tests/integration/${module.replace('.', '/')}.py`;
  const frames = [];
  for (let f = 0; f < 6; f++) {
    frames.push(
      `    def check_${f}(client, tenant=&quot;tenant-${i % 97}&quot;):\n        response = client.post(&quot;/v1/decide&quot;, json={&quot;tenant&quot;: tenant, &quot;step&quot;: ${f}})\n` +
        `&gt;       assert response.status_code == 200, response.text\nE       AssertionError: expected 200, got 503 for tenant-${i % 97} at step ${f}\n` +
        `E       assert 503 == 200\nE        +  where 503 = &lt;Response [503]&gt;.status_code\n\n${path}:${40 + f * 7}: AssertionError\n` +
        `_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _\n`,
    );
  }
  return frames.join('');
}

function systemOut(i) {
  const lines = [];
  for (let l = 0; l < 8; l++)
    lines.push(
      `2026-11-25T10:${String(l).padStart(2, '0')}:00Z INFO request ${i}-${l} trace_id=4bf92f3577b34da6a3ce929d0e0e${String(i % 10000).padStart(4, '0')} ok &amp; cached`,
    );
  return lines.join('\n');
}

/** Writes the report and resolves with its size in bytes. */
export async function generatePytestJUnit(path, cases, seed = 42) {
  const random = rng(seed);
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  let bytes = 0;
  let buf = '';
  const flush = async () => {
    bytes += Buffer.byteLength(buf);
    if (!out.write(buf)) await once(out, 'drain');
    buf = '';
  };
  buf += `<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" errors="0" failures="${Math.round(cases * 0.02)}" skipped="0" tests="${cases}" time="${(cases * 0.012).toFixed(3)}" timestamp="2026-11-25T10:00:00.000000+00:00" hostname="runner-7">`;
  for (let i = 0; i < cases; i++) {
    const m = i % MODULES.length;
    const module = MODULES[m];
    const classname = `tests.integration.staging.${module}.${CLASSES[m]}`;
    const name = `test_case_${String(i).padStart(7, '0')}_is_applied_per_tenant[tenant-${String(i % 997).padStart(4, '0')}-shadow-mode]`;
    const time = (random() * 0.5).toFixed(3);
    const kind = i % 50 === 7 ? 'failure' : i % 10 === 3 ? 'out' : 'pass';
    if (kind === 'pass') {
      buf += `<testcase classname="${classname}" name="${name}" time="${time}" />`;
    } else if (kind === 'failure') {
      buf += `<testcase classname="${classname}" name="${name}" time="${time}"><failure message="AssertionError: expected 200, got 503 for tenant-${i % 97}&#10;assert 503 == 200">${traceback(i, module)}</failure></testcase>`;
    } else {
      buf += `<testcase classname="${classname}" name="${name}" time="${time}"><system-out>${systemOut(i)}</system-out></testcase>`;
    }
    if (buf.length > 1 << 20) await flush();
  }
  buf += '</testsuite></testsuites>\n';
  await flush();
  out.end();
  await once(out, 'finish');
  return bytes;
}
