import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, STATE_DIR } from '../support/paths.js';
import { needsServers } from '../support/servers.js';

needsServers('kafka', 'staging');

// `stack.sh up staging` is idempotent, and `stack.sh down staging` leaves no process behind.

const STAGING = join(STATE_DIR, 'staging');
const PROCESSES = ['constitution', 'policy-engine', 'orchestrator', 'staging-traffic'];
const PORTS = [
  process.env.POLICY_ENGINE_PORT ?? '18081',
  process.env.CONSTITUTION_PORT ?? '18082',
  process.env.ORCHESTRATOR_PORT ?? '18083',
];

function stack(...args: string[]) {
  const r = spawnSync('bash', [join(ROOT, 'stack/stack.sh'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

function pids(): Record<string, number> {
  return Object.fromEntries(
    PROCESSES.filter((p) => existsSync(join(STAGING, `${p}.pid`))).map((p) => [
      p,
      Number(readFileSync(join(STAGING, `${p}.pid`), 'utf8').trim()),
    ]),
  );
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Every process whose command line runs one of the staging bundles. */
function stagingProcesses(): string[] {
  const bin = join(STAGING, 'bin');
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(bin)) found.push(`${entry}: ${cmd.trim()}`);
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

async function healthy(port: string): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) }).then(
    (r) => r.ok,
    () => false,
  );
}

describe('the staging stack component', () => {
  it('a second `up` keeps the running processes', async () => {
    const first = stack('up', 'staging');
    expect(first.code, first.out).toBe(0);
    const before = pids();
    expect(Object.keys(before).sort()).toEqual([...PROCESSES].sort());
    const second = stack('up', 'staging');
    expect(second.code, second.out).toBe(0);
    for (const p of PROCESSES) expect(second.out).toContain(`${p}: already running`);
    expect(pids()).toEqual(before);
    const status = stack('status', 'staging');
    expect(status.code, status.out).toBe(0);
    expect(status.out).toMatch(/orchestrator: running {2}url=http:\/\/127\.0\.0\.1:\d+/);
  });

  it('`down` stops every service and the traffic, leaving no orphans; `up` brings them back', async () => {
    const before = pids();
    expect(Object.values(before).every(alive)).toBe(true);
    const down = stack('down', 'staging');
    expect(down.code, down.out).toBe(0);
    try {
      for (const pid of Object.values(before)) expect(alive(pid)).toBe(false);
      expect(stagingProcesses()).toEqual([]);
      for (const port of PORTS) expect(await healthy(port)).toBe(false);
      const status = stack('status', 'staging');
      expect(status.code).toBe(3);
      expect(status.out).toContain('staging-traffic: stopped');
    } finally {
      const up = stack('up', 'staging');
      expect(up.code, up.out).toBe(0);
    }
    for (const port of PORTS) expect(await healthy(port)).toBe(true);
    const after = pids();
    expect(Object.keys(after).sort()).toEqual([...PROCESSES].sort());
    for (const p of PROCESSES) expect(after[p]).not.toBe(before[p]);
    expect(stagingProcesses()).toHaveLength(PROCESSES.length);
  });
});
