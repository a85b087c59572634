// `command-center`: runs one action outside GitHub Actions with the same inputs, checks an Integration
// Day configuration file, and — when the runner starts it as config/action.yml — is that action.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runAction } from '../lib/action/index.js';
import { ConfigurationError, isConfigurationError } from '../lib/errors.js';
import { ACTIONS } from '../registry.js';
import { configSchema } from './config/schema.js';
import { bashSyntaxError } from './config/bash-syntax.js';
import { loadConfig } from './config/load.js';
import { describePlan, planShardsCommand } from './config/shards.js';
import { SETUP_JOBS, type SetupJob } from './config/setup.js';
import { actionNamed, runActionCli } from './run-action.js';
import { main as workflowActionMain } from './workflow-action/main.js';
import { setupScript } from './workflow-action/setup-script.js';

const USAGE = `command-center <command> [options]

Run one action outside GitHub Actions, with the same inputs and code as in a workflow:
  command-center <action> [--<input> <value> ...] [--config integration-day.config.yml]
      actions: ${ACTIONS.map((m) => m.name).join(', ')}
      --config reads the action's section of the configuration file; flags override it.
      command-center <action> --help lists the inputs.

The Integration Day configuration file:
  command-center config check [file]            check it (default integration-day.config.yml)
  command-center config inputs <action> [file]  print the inputs the file gives an action (JSON)
  command-center config inputs setup[.<job>] [file]  print a job's setup script (default: the smoke job's)
  command-center config schema                  print its JSON Schema
  command-center config shards [file] [--shards auto|N] [--target 10m] [--max-shards 16] [--timings path]
                                                print the smoke job's matrix (JSON), planned from the
                                                suites' newest committed durations (the plan on stderr)

Results go to $RUNNER_TEMP/command-center/ (default: ~/.local/state/command-center/cli/<session>/command-center/,
private to you; the session is today's date unless COMMAND_CENTER_SESSION names one), where a later
\`command-center evidence-archive\` picks them up; once archived they move to archived/ in that folder.`;

async function cli(argv: string[]): Promise<number> {
  const out = (s: string) => process.stdout.write(s);
  const err = (s: string) => process.stderr.write(s);
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    out(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  if (actionNamed(command)) return runActionCli(command, rest, { out, err });
  if (command === 'config') return configCommand(rest, out, err);
  err(`command-center: unknown command ${JSON.stringify(command)}\n\n${USAGE}\n`);
  return 2;
}

async function configCommand(
  args: string[],
  out: (s: string) => void,
  err: (s: string) => void,
): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'schema') {
    out(`${JSON.stringify(configSchema(ACTIONS), null, 2)}\n`);
    return 0;
  }
  const load = (file = 'integration-day.config.yml', checkRunTime = false) => {
    let text: string;
    try {
      text = readFileSync(resolve(file), 'utf8');
    } catch (err) {
      throw new ConfigurationError(
        `${file}: cannot read the configuration file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      );
    }
    return loadConfig(text, {
      file,
      workspace: process.cwd(),
      actions: ACTIONS,
      ...(checkRunTime ? { runTimeChecks: { exists: existsSync, shellSyntaxError: bashSyntaxError } } : {}),
    });
  };
  if (sub === 'check') {
    const c = load(rest[0], true);
    out(
      `${c.file}: valid. Date ${c.date} (${c.timezone}); sections: ${Object.keys(c.inputs).join(', ') || 'none'}${c.setup.length ? `; ${c.setup.length} setup command(s)` : ''}.\n`,
    );
    return 0;
  }
  if (sub === 'shards') {
    const file = rest[0] && !rest[0].startsWith('--') ? rest.shift() : undefined;
    const config = load(file);
    const planned = await planShardsCommand(
      rest,
      config.inputs['smoke-suite'],
      config.fanOut['smoke-suite'],
      process.cwd(),
    );
    err(`${describePlan(planned)}\n`);
    out(`${JSON.stringify(planned.matrix)}\n`);
    return 0;
  }
  if (sub === 'inputs' && rest[0]) {
    if (rest[0] === 'setup') {
      out(setupScript(load(rest[1]).setup));
      return 0;
    }
    // `setup.<job>`: the commands that job runs (`setup` alone is the smoke job's, as before).
    const job = /^setup\.(.+)$/.exec(rest[0])?.[1];
    if (job !== undefined) {
      if (!(SETUP_JOBS as readonly string[]).includes(job))
        throw new ConfigurationError(
          `config inputs: unknown job ${JSON.stringify(job)} in ${rest[0]}; one of ${SETUP_JOBS.join(', ')}`,
        );
      out(setupScript(load(rest[1]).setupByJob[job as SetupJob]));
      return 0;
    }
    if (!actionNamed(rest[0]))
      throw new ConfigurationError(
        `config inputs: unknown action ${JSON.stringify(rest[0])}; one of ${ACTIONS.map((m) => m.name).join(', ')}`,
      );
    out(`${JSON.stringify(load(rest[1]).inputs[rest[0]] ?? {}, null, 2)}\n`);
    return 0;
  }
  out(`${USAGE}\n`);
  return 2;
}

/** The runner starts node actions with no arguments and the action's inputs as INPUT_* variables. */
function startedAsAction(): boolean {
  return (
    process.argv.length <= 2 &&
    process.env.GITHUB_ACTIONS === 'true' &&
    process.env.INPUT_COMMAND !== undefined
  );
}

if (startedAsAction()) {
  void runAction('config', workflowActionMain);
} else {
  cli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (thrown: unknown) => {
      const e = thrown instanceof Error ? thrown : new Error(String(thrown));
      process.stderr.write(
        `command-center: ${isConfigurationError(thrown) ? e.message : (e.stack ?? e.message)}\n`,
      );
      process.exitCode = isConfigurationError(thrown) ? 1 : 70;
    },
  );
}
