import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, writeFile, mkdir } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { NODE24, ROOT } from './paths.js';
import { parseCommandFile as parseKeyValueFile } from '../../src/cli/command-file.js';

export interface ParsedAnnotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  properties: Record<string, string>;
}

export interface ActionRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  env: Record<string, string>;
  annotations: ParsedAnnotation[];
  /** Lines the runner would treat as masked secrets (`::add-mask::`). */
  masks: string[];
  dirs: { workspace: string; temp: string; runnerTemp: string };
  durationMs: number;
}

export interface RunOptions {
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  workspace?: string;
  timeoutMs?: number;
  /** Apply action.yml defaults the way the runner does (default true). */
  applyDefaults?: boolean;
  /** Prepares files in the workspace before the action runs. */
  workspaceSetup?: (workspace: string) => void | Promise<void>;
  /** Runs beside the action (e.g. to signal it mid-way, as a runner cancelling the step does). */
  during?: (
    child: ChildProcess,
    live: { stdout: () => string; dirs: ActionRun['dirs'] },
  ) => void | Promise<void>;
  /** Sees stdout as it comes, e.g. to act when the action reaches a phase. */
  onStdout?: (text: string) => void;
}

/**
 * What a runner passes on to every step from the machine it runs on: the trust store and proxy
 * settings (a self-hosted runner behind a TLS-inspecting proxy needs them to reach a registry).
 * Tests that imitate a runner's clean environment keep exactly these.
 */
export function machineNetworkEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const keep =
    /^(NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR|(HTTPS?|NO|ALL)_PROXY|(https?|no|all)_proxy|npm_config_(cafile|proxy|https_proxy|registry))$/;
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => keep.test(e[0]) && e[1] !== undefined),
  );
}

/**
 * Runs dist/<name>/index.js exactly as the Actions runner does: a child process with INPUT_*
 * variables (defaults taken from action.yml), real GITHUB_OUTPUT / GITHUB_STEP_SUMMARY /
 * GITHUB_ENV files, GITHUB_WORKSPACE and RUNNER_TEMP; then reads everything back. `config` is the
 * workflows' helper action (config/action.yml, whose main is dist/cli/index.js).
 */
export async function runAction(name: string, opts: RunOptions = {}): Promise<ActionRun> {
  const temp = await mkdtemp(join(tmpdir(), `cc-${name}-`));
  const workspace = opts.workspace ?? join(temp, 'workspace');
  const runnerTemp = join(temp, 'runner-temp');
  await mkdir(workspace, { recursive: true });
  await mkdir(runnerTemp, { recursive: true });
  const files = {
    output: join(temp, 'github_output'),
    summary: join(temp, 'step_summary'),
    env: join(temp, 'github_env'),
    state: join(temp, 'github_state'),
    path: join(temp, 'github_path'),
  };
  for (const f of Object.values(files)) await writeFile(f, '');
  await opts.workspaceSetup?.(workspace);

  const actionDir = name === 'config' ? join(ROOT, 'config') : join(ROOT, 'actions', name);
  const yml = parseYaml(readFileSync(join(actionDir, 'action.yml'), 'utf8')) as {
    inputs?: Record<string, { default?: string }>;
    runs: { main: string };
  };
  const inputs: Record<string, string> = {};
  if (opts.applyDefaults !== false) {
    for (const [k, v] of Object.entries(yml.inputs ?? {}))
      if (v.default !== undefined) inputs[k] = String(v.default);
  }
  Object.assign(inputs, opts.inputs ?? {});

  const env: Record<string, string> = {
    ...machineNetworkEnv(),
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? temp,
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_ENV: files.env,
    GITHUB_STATE: files.state,
    GITHUB_PATH: files.path,
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: runnerTemp,
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_REPOSITORY: 'acme/command-center-test',
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_JOB: 'test',
    GITHUB_WORKFLOW: 'test',
    ...opts.env,
  };
  // The runner upper-cases the name and keeps dashes (INPUT_FAIL-ON), spaces become underscores.
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;

  const started = Date.now();
  const child = spawn(NODE24, [resolve(actionDir, yml.runs.main)], {
    cwd: workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    opts.onStdout?.(stdout);
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
  const beside = opts.during?.(child, { stdout: () => stdout, dirs: { workspace, temp, runnerTemp } });
  const result = await ended;
  await beside;
  return {
    exitCode: result.code,
    signal: result.signal,
    stdout,
    stderr,
    outputs: parseKeyValueFile(await readFile(files.output, 'utf8')),
    env: parseKeyValueFile(await readFile(files.env, 'utf8')),
    summary: await readFile(files.summary, 'utf8'),
    annotations: parseAnnotations(stdout),
    masks: stdout
      .split('\n')
      .filter((l) => l.startsWith('::add-mask::'))
      .map((l) => l.slice('::add-mask::'.length)),
    dirs: { workspace, temp, runnerTemp },
    durationMs: Date.now() - started,
  };
}

/** The runner's file-command format (`name<<DELIM\nvalue\nDELIM`, plain `name=value`), read as the CLI reads it. */
export { parseCommandFile as parseKeyValueFile } from '../../src/cli/command-file.js';

function unescapeData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}
function unescapeProperty(s: string): string {
  return s
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%3A/g, ':')
    .replace(/%2C/g, ',')
    .replace(/%25/g, '%');
}

/** Reads `::error file=a,line=3::message` workflow commands from stdout. */
export function parseAnnotations(stdout: string): ParsedAnnotation[] {
  const out: ParsedAnnotation[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^::(error|warning|notice)( [^:]*)?::(.*)$/.exec(line.replace(/\r$/, ''));
    if (!m) continue;
    const properties: Record<string, string> = {};
    for (const pair of (m[2] ?? '').trim().split(',').filter(Boolean)) {
      const idx = pair.indexOf('=');
      properties[pair.slice(0, idx)] = unescapeProperty(pair.slice(idx + 1));
    }
    out.push({ level: m[1] as ParsedAnnotation['level'], message: unescapeData(m[3] ?? ''), properties });
  }
  return out;
}
