import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLogged, processAlive, groupAlive } from '../../src/lib/process/index.js';
import { needsServers } from '../support/servers.js';

needsServers();

const PY = 'python3';
const tmp = () => mkdtempSync(join(tmpdir(), 'cc-proc-'));

async function waitGone(pid: number, ms = 5_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!processAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !processAlive(pid);
}

describe('running a command in its own process group', () => {
  it('a timeout kills the whole group, including a child that ignores SIGTERM', async () => {
    const dir = tmp();
    const pidFile = join(dir, 'child.pid');
    const script = [
      'import subprocess, sys, time',
      `child = subprocess.Popen([sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(3600)"])`,
      `open(${JSON.stringify(pidFile)}, "w").write(str(child.pid))`,
      'print("started child", child.pid, flush=True)',
      'time.sleep(3600)',
    ].join('\n');
    const out = await runLogged({
      argv: [PY, '-c', script],
      cwd: dir,
      env: process.env,
      timeoutMs: 1_500,
      killGraceMs: 500,
      logPath: join(dir, 'log', 'run.log'),
    });
    expect(out.timedOut).toBe(true);
    expect(existsSync(pidFile)).toBe(true);
    const childPid = Number(readFileSync(pidFile, 'utf8'));
    expect(childPid).toBeGreaterThan(0);
    expect(await waitGone(childPid)).toBe(true);
    expect(groupAlive(out.pid!)).toBe(false);
    expect(readFileSync(join(dir, 'log', 'run.log'), 'utf8')).toContain(`started child ${childPid}`);
  });

  it('processes a finished command leaves behind in its group are ended and reported', async () => {
    const dir = tmp();
    const pidFile = join(dir, 'bg.pid');
    const script = `import subprocess, sys; p = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)"]); open(${JSON.stringify(pidFile)}, "w").write(str(p.pid))`;
    const out = await runLogged({
      argv: [PY, '-c', script],
      cwd: dir,
      env: process.env,
      timeoutMs: 30_000,
      killGraceMs: 500,
      logPath: join(dir, 'run.log'),
    });
    expect(out).toMatchObject({ exitCode: 0, timedOut: false, leftovers: true });
    expect(await waitGone(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
  });

  it('a daemon that started its own session is found by the run marker, ended (SIGKILL after the grace) and named', async () => {
    const dir = tmp();
    const pidFile = join(dir, 'daemon.pid');
    const envFile = join(dir, 'daemon.env');
    // setsid: a new session and process group, as start_new_session=True makes it; SIGTERM ignored.
    const daemon = `import os, signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); open(${JSON.stringify(envFile)}, "w").write(os.environ.get("RUNNER_TRACKING_ID", "") + " " + os.environ.get("CC_TEST_MARKER", "")); open(${JSON.stringify(pidFile)}, "w").write(str(os.getpid())); time.sleep(3600)`;
    const script = `import subprocess, sys, time, os; subprocess.Popen(["setsid", sys.executable, "-c", ${JSON.stringify(daemon)}, "cc-daemon-fixture"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\nwhile not os.path.exists(${JSON.stringify(pidFile)}): time.sleep(0.02)`;
    const env = { ...process.env, RUNNER_TRACKING_ID: 'github_runner_tracking_7' };
    const out = await runLogged({
      argv: [PY, '-c', script],
      cwd: dir,
      env,
      timeoutMs: 30_000,
      killGraceMs: 700,
      logPath: join(dir, 'run.log'),
      markerVariable: 'CC_TEST_MARKER',
    });
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(await waitGone(pid)).toBe(true);
    expect(out).toMatchObject({ exitCode: 0, leftovers: true, endedCount: 1 });
    expect(out.ended).toEqual([
      {
        pid,
        command: expect.stringMatching(
          /python3? -c import os, signal, time; signal.signal\(signal.SIGTERM, signal.SIG_IGN\)/,
        ),
        foundBy: 'marker',
        endedBy: 'SIGKILL',
      },
    ]);
    const [tracking, marker] = readFileSync(envFile, 'utf8').split(' ');
    expect(tracking).toBe('github_runner_tracking_7');
    expect(marker).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a timeout ends the marked processes outside the group as well', async () => {
    const dir = tmp();
    const pidFile = join(dir, 'daemon.pid');
    const script = `import subprocess, sys, time; p = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)"], start_new_session=True); open(${JSON.stringify(pidFile)}, "w").write(str(p.pid)); time.sleep(3600)`;
    const out = await runLogged({
      argv: [PY, '-c', script],
      cwd: dir,
      env: process.env,
      timeoutMs: 1_500,
      killGraceMs: 500,
      logPath: join(dir, 'run.log'),
      markerVariable: 'CC_TEST_MARKER',
    });
    expect(out.timedOut).toBe(true);
    expect(await waitGone(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
  });

  it('stdout and stderr land in one log file in the order they were written', async () => {
    const dir = tmp();
    const script =
      'import sys\nfor i in range(3):\n    print(f"out {i}", flush=True)\n    print(f"err {i}", file=sys.stderr, flush=True)\nsys.exit(3)';
    const out = await runLogged({
      argv: [PY, '-c', script],
      cwd: dir,
      env: process.env,
      timeoutMs: 30_000,
      logPath: join(dir, 'run.log'),
    });
    expect(out).toMatchObject({ exitCode: 3, signal: null, timedOut: false, leftovers: false });
    expect(readFileSync(join(dir, 'run.log'), 'utf8')).toBe('out 0\nerr 0\nout 1\nerr 1\nout 2\nerr 2\n');
  });

  it('aborting stops the group and says it was cancelled', async () => {
    const dir = tmp();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const out = await runLogged({
      argv: ['sleep', '600'],
      cwd: dir,
      env: process.env,
      timeoutMs: 60_000,
      killGraceMs: 500,
      logPath: join(dir, 'run.log'),
      signal: ac.signal,
    });
    expect(out).toMatchObject({ cancelled: true, timedOut: false, signal: 'SIGTERM' });
  });

  it('a command that does not exist is a spawn error, not a crash', async () => {
    const dir = tmp();
    const out = await runLogged({
      argv: ['no-such-command-cc'],
      cwd: dir,
      env: process.env,
      timeoutMs: 5_000,
      logPath: join(dir, 'run.log'),
    });
    expect(out.exitCode).toBeNull();
    expect(out.spawnError).toMatch(/could not start `no-such-command-cc`: no such command on PATH/);
  });
});
