import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runAction } from '../lib/action/index.js';
import { ConfigurationError } from '../lib/errors.js';
import type { ActionMetadata } from '../lib/inputs/metadata.js';
import { ACTIONS, REGISTRY } from '../registry.js';
import { actionHelp, parseActionArgs } from './args.js';
import { loadConfig } from './config/load.js';
import { parseCommandFile } from './command-file.js';
import { TerminalTranslator } from './terminal.js';
import { cliRunnerTemp, resultFiles, retireResults } from './results-folder.js';

export function actionNamed(name: string): ActionMetadata | undefined {
  return ACTIONS.find((m) => m.name === name);
}

/**
 * Runs one action outside Actions with the same inputs and the same code: inputs become the
 * runner's INPUT_* variables, outputs and the step summary go to files the way the runner collects
 * them, and results land in `$RUNNER_TEMP/command-center/` (default: a private folder of this user's
 * per session, see results-folder.ts), so a later `command-center evidence-archive` run picks up
 * the results of the session's earlier steps. Returns the exit code.
 */
export async function runActionCli(
  name: string,
  argv: readonly string[],
  io: { out: (s: string) => void; err: (s: string) => void },
): Promise<number> {
  const m = actionNamed(name)!;
  const args = parseActionArgs(name, m.inputs, argv);
  if (args.help) {
    io.out(`${actionHelp(name, m.description, m.inputs, m.outputs)}\n`);
    return 0;
  }
  const workspace = process.cwd();
  let inputs = args.inputs;
  if (args.config) {
    const file = resolve(workspace, args.config);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigurationError(
        `--config ${args.config}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      );
    }
    const loaded = loadConfig(text, {
      file: args.config,
      workspace,
      actions: ACTIONS,
      require: [name],
      ...(args.inputs.date ? { date: args.inputs.date } : {}),
    });
    inputs = { ...loaded.inputs[name], ...args.inputs };
  }

  const { dir: runnerTemp, private: ownFolder } = cliRunnerTemp();
  const stepDir = join(
    runnerTemp,
    'command-center-cli',
    `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}`,
  );
  mkdirSync(stepDir, { recursive: true, mode: 0o700 });
  const resultsDir = join(runnerTemp, 'command-center');
  const earlier = name === 'evidence-archive' && ownFolder ? resultFiles(resultsDir) : [];
  const files = {
    GITHUB_OUTPUT: 'outputs',
    GITHUB_STEP_SUMMARY: 'summary.md',
    GITHUB_ENV: 'env',
    GITHUB_PATH: 'path',
    GITHUB_STATE: 'state',
  } as const;
  const saved = { ...process.env };
  for (const [k, f] of Object.entries(files)) {
    writeFileSync(join(stepDir, f), '');
    process.env[k] = join(stepDir, f);
  }
  process.env.RUNNER_TEMP = runnerTemp;
  process.env.GITHUB_WORKSPACE = workspace;
  for (const k of Object.keys(process.env)) if (k.startsWith('INPUT_')) delete process.env[k];
  for (const [k, v] of Object.entries(inputs)) process.env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;

  const translator = new TerminalTranslator({ debug: process.env.RUNNER_DEBUG === '1' });
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    return write(translator.push(text), cb);
  }) as typeof process.stdout.write;
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    const { main } = await REGISTRY.find((r) => r.metadata.name === name)!.load();
    await runAction(name, main);
  } finally {
    write(translator.flush());
    process.stdout.write = write;
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
  const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  process.exitCode = before;

  const outputs = parseCommandFile(readFileSync(join(stepDir, files.GITHUB_OUTPUT), 'utf8'));
  if (code === 0 && earlier.length > 0) {
    const retired = retireResults(
      resultsDir,
      earlier.filter((n) => !n.startsWith('evidence-archive')),
    );
    if (retired)
      io.out(
        `\nThe archived results moved to ${retired} (a later archive of this session will not count them again).\n`,
      );
  }
  const shown = Object.entries(outputs).map(
    ([k, v]) => `  ${k}: ${v.includes('\n') ? `${v.split('\n')[0]} …` : v}`,
  );
  io.out(
    `\n${name}: ${code === 0 ? 'succeeded' : 'failed'}\n${shown.length ? `outputs:\n${shown.join('\n')}\n` : ''}summary: ${join(stepDir, files.GITHUB_STEP_SUMMARY)}\n`,
  );
  return code;
}
