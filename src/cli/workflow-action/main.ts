import { join, relative, resolve, sep } from 'node:path';
import {
  emitAnnotations,
  group,
  log,
  readInputs,
  setOutputs,
  workspace,
  writeSummary,
} from '../../lib/action/index.js';
import { ConfigurationError, InputError, quote } from '../../lib/errors.js';
import { isInside, readTextInside } from '../../lib/real-path.js';
import { git } from '../../lib/git/index.js';
import { table } from '../../lib/markdown.js';
import { ACTIONS } from '../../registry.js';
import { ConfigFileError, loadConfig, type LoadedConfig } from '../config/load.js';
import { describePlan, planSmokeShards } from '../config/shards.js';
import { HANDOFF_RECORD } from '../../lib/evidence/step-results.js';
import { collect, handOff } from './handoff.js';
import { workflowActionMetadata } from './metadata.js';
import { setupScript, setupScripts } from './setup-script.js';
import { recordRollback, reportBranch, type RollbackNotePlan } from './rollback-note.js';
import { parseFailedSuites } from '../../lib/evidence/rollback.js';
import { branchFromEnv, branchInput, commitBack } from '../../lib/git/index.js';
import { runPageUrl } from '../../lib/step-result.js';
import { readFile } from 'node:fs/promises';
import { parseShard } from '../../actions/smoke-suite/shards.js';

export async function main(): Promise<void> {
  const inputs = readInputs(workflowActionMetadata.inputs);
  const ws = workspace();
  const runnerTemp = process.env.RUNNER_TEMP || '/tmp';
  switch (inputs.command) {
    case 'load':
      return load(inputs, ws);
    case 'hand-off': {
      const r = await group('Handing the results to the evidence job', () =>
        handOff(
          {
            resultsDir: join(runnerTemp, 'command-center'),
            workspace: ws,
            files: inputs.files,
            job: process.env.GITHUB_JOB || 'job',
            attempt: process.env.GITHUB_RUN_ATTEMPT || '1',
            part: {
              ...(inputs.shard ? { shard: parseShard('shard', inputs.shard) } : {}),
              ...(inputs.cluster ? { cluster: inputs.cluster } : {}),
            },
          },
          log.info,
        ),
      );
      setOutputs({ files: r.files });
      return;
    }
    case 'collect': {
      const n = await group("Collecting every job's results", () =>
        collect(
          {
            resultsDir: join(runnerTemp, 'command-center'),
            filesDir: join(runnerTemp, 'command-center-files'),
            recordPath: HANDOFF_RECORD(runnerTemp),
          },
          log.info,
        ),
      );
      setOutputs({ files: n });
      return;
    }
    case 'record-rollback':
      return rollbackNote(inputs, ws, runnerTemp);
  }
}

type Inputs = ReturnType<typeof readInputs<typeof workflowActionMetadata.inputs>>;

/**
 * The Kafka job's matrix: one entry per cluster of `clusters`, each with the inputs its check gets
 * (the section's, with the cluster's own on top), or one entry with the section's inputs.
 */
function kafkaMatrix(loaded: LoadedConfig): Record<string, string> {
  const clusters = loaded.fanOut['kafka-topic-check']?.clusters;
  const include = clusters
    ? clusters.map((c) => ({ cluster: c.name, inputs: c.inputs }))
    : [{ cluster: '', inputs: loaded.inputs['kafka-topic-check'] ?? {} }];
  return {
    'kafka-matrix': JSON.stringify({ include }),
    'kafka-clusters': clusters ? clusters.map((c) => c.name).join(',') : '',
  };
}

/**
 * The smoke job's matrix: one entry per shard of the plan, or a single entry with no shard (one
 * runner runs every suite, as without sharding). The shards plan the same split again themselves.
 */
async function smokeMatrix(
  loaded: LoadedConfig,
  ws: string,
): Promise<{ outputs: Record<string, string>; described?: string }> {
  const fanOut = loaded.fanOut['smoke-suite'];
  const section = loaded.inputs['smoke-suite'];
  if (!fanOut || fanOut.shards === 1 || !section?.suites)
    return {
      outputs: {
        'smoke-matrix': JSON.stringify({ include: [{ shard: '' }] }),
        'smoke-shards': '',
        'smoke-max-parallel': '1',
      },
    };
  const planned = await planSmokeShards(section, fanOut, ws);
  const entries = planned.matrix.include.length;
  return {
    outputs: {
      'smoke-matrix': JSON.stringify(planned.matrix),
      'smoke-shards': String(planned.plan.count),
      'smoke-max-parallel': String(Math.min(fanOut.maxParallel ?? entries, entries)),
    },
    described: `smoke-suite shards: ${describePlan(planned)}`,
  };
}

/** The inputs of `record-rollback`, checked before anything is read or pushed. Pure. */
export function planRollbackNote(
  inputs: Partial<Pick<Inputs, 'statusFile' | 'date' | 'branch' | 'rollbackResult' | 'failedSuites'>> &
    Pick<Inputs, 'commitMode'>,
  env: NodeJS.ProcessEnv,
): RollbackNotePlan {
  if (!inputs.statusFile)
    throw new InputError(
      'status-file',
      '',
      "record-rollback needs the day's status file (the evidence job's status-file output)",
    );
  if (!inputs.date) throw new InputError('date', '', 'record-rollback needs the date the day is filed under');
  const branch = inputs.branch ?? branchFromEnv(env);
  if (!branch)
    throw new InputError(
      'branch',
      '',
      "the run is not on a branch: name the branch the day's report was committed to",
    );
  return {
    statusFile: inputs.statusFile,
    branch: reportBranch(inputs.commitMode, branchInput('branch', branch), inputs.date),
    date: inputs.date,
    ...(inputs.rollbackResult ? { resultPath: inputs.rollbackResult } : {}),
    failedSuites: parseFailedSuites('failed-suites', inputs.failedSuites ?? ''),
    message: `chore: Integration Day rollback for ${inputs.date} [skip ci]`,
    pushAttempts: 5,
  };
}

async function rollbackNote(inputs: Inputs, ws: string, runnerTemp: string): Promise<void> {
  const plan = planRollbackNote(inputs, process.env);
  const done = await group(`Adding the rollback to ${plan.statusFile} on ${plan.branch}`, () =>
    recordRollback(
      plan,
      ws,
      runnerTemp,
      {
        readResult: (path) => readFile(path, 'utf8').catch(() => undefined),
        commit: commitBack,
        now: () => new Date(),
        log: log.info,
      },
      runPageUrl(process.env),
    ),
  );
  setOutputs({ 'commit-sha': done.commit.commitSha });
  await writeSummary(done.section);
}

async function load(
  inputs: ReturnType<typeof readInputs<typeof workflowActionMetadata.inputs>>,
  ws: string,
): Promise<void> {
  const text = await (inputs.ref ? readAtRef(ws, inputs.ref, inputs.file) : readInWorkspace(ws, inputs.file));
  let loaded;
  try {
    loaded = loadConfig(text, {
      file: inputs.file,
      workspace: ws,
      actions: ACTIONS,
      require: inputs.sections,
      ...(inputs.date ? { date: inputs.date } : {}),
      ...(inputs.deployStepTimeout !== undefined ? { deployStepTimeoutMs: inputs.deployStepTimeout } : {}),
    });
  } catch (err) {
    // Each problem is also an annotation on its line of the file.
    if (err instanceof ConfigFileError) {
      emitAnnotations(
        err.problems.map((p) => ({
          level: 'error' as const,
          message: `${p.path ? `${p.path}: ` : ''}${p.message}`,
          title: 'Integration Day configuration',
          file: inputs.file,
          ...(p.line ? { line: p.line } : {}),
        })),
      );
    }
    throw err;
  }
  const outputs: Record<string, string> = {
    date: loaded.date,
    timezone: loaded.timezone,
    setup: setupScript(loaded.setup),
    'setup-jobs': JSON.stringify(setupScripts(loaded.setupByJob)),
  };
  for (const m of ACTIONS) outputs[m.name] = JSON.stringify(loaded.inputs[m.name] ?? {});
  const smoke = await smokeMatrix(loaded, ws);
  Object.assign(outputs, smoke.outputs, kafkaMatrix(loaded));
  setOutputs(outputs);
  if (smoke.described) log.info(smoke.described);
  log.info(
    `${inputs.file}${inputs.ref ? ` (as on ${inputs.ref})` : ''}: date ${loaded.date} (${loaded.timezone}); sections ${Object.keys(loaded.inputs).join(', ') || 'none'}${loaded.setup.length ? `; ${loaded.setup.length} setup command(s)` : ''}`,
  );
  const rows = ACTIONS.filter((m) => loaded.inputs[m.name]).map((m) => [
    `\`${m.name}\``,
    Object.keys(loaded.inputs[m.name]!)
      .map((k) => `\`${k}\``)
      .join(', '),
  ]);
  await writeSummary(
    [
      `### Integration Day configuration: \`${inputs.file}\`${inputs.ref ? ` as on \`${inputs.ref}\`` : ''}`,
      '',
      `Date **${loaded.date}** (${loaded.timezone})${loaded.setup.length ? ` · ${loaded.setup.length} setup command(s)` : ''}`,
      '',
      table(['section', 'inputs set'], rows),
    ].join('\n'),
  );
}

/**
 * The file in the checkout, by its real path: a configuration file (or a folder on its way) that is a
 * symbolic link leading out of the workspace is refused, as is anything but a regular file.
 */
async function readInWorkspace(ws: string, file: string): Promise<string> {
  const path = insideWorkspace(ws, file);
  const what = `input 'file' has value ${quote(file)}: the configuration file`;
  try {
    return await readTextInside(ws, path, what);
  } catch (err) {
    if (err instanceof ConfigurationError) throw err;
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new ConfigurationError(
      `${what} cannot be read (${why}); create it (see config/README.md) or point 'file' at it`,
    );
  }
}

/** `file` resolved in the workspace; a path that leaves it (`..`, elsewhere absolute) is refused. */
function insideWorkspace(ws: string, file: string): string {
  const path = resolve(ws, file);
  if (!isInside(resolve(ws), path)) {
    throw new InputError('file', file, 'expected a path inside the workspace (the repository checkout)');
  }
  return path;
}

/** The file as committed on `ref`: what the base branch says, whatever the checkout's copy says. */
async function readAtRef(ws: string, ref: string, file: string): Promise<string> {
  const path = relative(ws, insideWorkspace(ws, file)).split(sep).join('/');
  const shown = await git(['show', `${ref}:./${path}`], { cwd: ws, allowFailure: true });
  if (shown.code !== 0) {
    const why = shown.stderr.trim().split('\n')[0] || `exit ${shown.code}`;
    throw new InputError(
      'ref',
      ref,
      `${file} cannot be read on that ref (git: ${why}); ` +
        'fetch the ref first (actions/checkout with fetch-depth: 0) and check the file is committed there',
    );
  }
  return shown.stdout;
}
