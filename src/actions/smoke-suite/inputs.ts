import { isAbsolute } from 'node:path';
import { ConfigurationError, quote } from '../../lib/errors.js';
import { parseDurationMs } from '../../lib/duration.js';
import { resolveInside } from '../../lib/files.js';
import { joinCommandLine, splitCommandLine, ShellWordsError } from '../../lib/process/shell-words.js';
import type { SuiteConfig } from './suites-schema.js';
import {
  assignShards,
  estimateDurations,
  parseShard,
  shareOf,
  type Shard,
  type ShardPlan,
} from './shards.js';

export const DEFAULT_SUITE_TIMEOUT = '15m';

/** A suite ready to run: command split, paths resolved inside the workspace, defaults applied. */
export interface SuitePlan {
  /** Position in the input (suite order is the tie-break for ranking). */
  index: number;
  name: string;
  /** File-system-safe name for its log folder. */
  slug: string;
  squad?: string;
  owner?: string;
  runbook?: string;
  argv: string[];
  /** The command as shown in logs. */
  display: string;
  shell: boolean;
  /** Absolute working directory. */
  cwd: string;
  /** Workspace-relative working directory ('.' for the root). */
  cwdLabel: string;
  junit: string[];
  timeoutMs: number;
  env: Record<string, string>;
  required: boolean;
  retries: number;
  /** A run in which every test was skipped passes quietly instead of warning. */
  allowAllSkipped: boolean;
  /** With sharding: runs on a shard of its own. */
  alone: boolean;
}

/**
 * Turns the validated `suites` input into plans. Everything that can be checked before anything
 * runs is checked here, and every error names the suite, the key and the value.
 */
export function planSuites(configs: readonly SuiteConfig[], workspace: string): SuitePlan[] {
  const seen = new Map<string, number>();
  const slugs = new Set<string>();
  return configs.map((c, index) => {
    const where = `input 'suites' is invalid at /${index}`;
    const lower = c.name.toLowerCase();
    if (seen.has(lower))
      throw new ConfigurationError(
        `${where}/name (value ${quote(c.name)}): the name is already used by suite ${seen.get(lower)}; suite names must be unique`,
      );
    seen.set(lower, index);

    let argv: string[];
    if (c.shell) {
      argv = ['/bin/sh', '-c', c.run];
    } else {
      try {
        argv = splitCommandLine(c.run);
      } catch (err) {
        if (err instanceof ShellWordsError)
          throw new ConfigurationError(`${where}/run (value ${quote(c.run)}): ${err.reason}`);
        throw err;
      }
    }

    const cwd = resolveInside(
      workspace,
      c['working-directory'] ?? '.',
      `${where}/working-directory: the directory`,
    );
    const junit = (Array.isArray(c.junit) ? c.junit : [c.junit]).map((pattern) => {
      if (isAbsolute(pattern) || pattern.split(/[\\/]/).includes('..')) {
        throw new ConfigurationError(
          `${where}/junit (value ${quote(pattern)}): expected a glob relative to the suite's working directory, without '..' segments`,
        );
      }
      return pattern;
    });

    const timeoutText = c.timeout ?? DEFAULT_SUITE_TIMEOUT;
    const timeoutMs = parseDurationMs(timeoutText);
    if (timeoutMs === undefined || timeoutMs <= 0)
      throw new ConfigurationError(
        `${where}/timeout (value ${quote(timeoutText)}): expected a positive duration such as 90s or 15m`,
      );

    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(c.env ?? {})) env[k] = String(v);

    let slug =
      c.name
        .toLowerCase()
        .replace(/[^a-z0-9._-]+/g, '-')
        .replace(/^-+|-+$/g, '') || `suite-${index + 1}`;
    while (slugs.has(slug)) slug = `${slug}-${index + 1}`;
    slugs.add(slug);

    const rel = cwd === workspace ? '.' : cwd.slice(workspace.length + 1);
    return {
      index,
      name: c.name,
      slug,
      ...(c.squad !== undefined ? { squad: c.squad } : {}),
      ...(c.owner !== undefined ? { owner: c.owner } : {}),
      ...(c.runbook !== undefined ? { runbook: c.runbook } : {}),
      argv,
      display: c.shell ? c.run : joinCommandLine(argv),
      shell: c.shell === true,
      cwd,
      cwdLabel: rel,
      junit,
      timeoutMs,
      env,
      required: c.required ?? true,
      retries: c.retries ?? 0,
      allowAllSkipped: c['allow-all-skipped'] ?? false,
      alone: c.alone ?? false,
    };
  });
}

// Credentials the runner gives to actions but never to `run:` steps; a test suite has no use for them.
const RUNNER_ONLY = /^(INPUT_|ACTIONS_RUNTIME_|ACTIONS_ID_TOKEN_REQUEST_|ACTIONS_CACHE_|ACTIONS_RESULTS_)/;

/** The environment a suite runs with: the step's own (less the action-only variables) plus its `env`. */
export function suiteEnvironment(
  base: NodeJS.ProcessEnv,
  plan: SuitePlan,
  attempt: number,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) if (!RUNNER_ONLY.test(k)) env[k] = v;
  return { ...env, ...plan.env, SMOKE_SUITE_NAME: plan.name, SMOKE_SUITE_ATTEMPT: String(attempt) };
}

export interface ShareOfShard {
  shard: Shard;
  plan: ShardPlan;
  /** This shard's suites, longest first (the order LPT placed them, which also suits the pool). */
  plans: SuitePlan[];
}

/** With `shard: k/n`, the suites this shard runs; every shard computes the same plan. */
export function planShare(
  plans: readonly SuitePlan[],
  shardText: string,
  history: ReadonlyMap<string, number>,
): ShareOfShard {
  const shard = parseShard('shard', shardText);
  const plan = assignShards(estimateDurations(plans, history), shard.count);
  const byName = new Map(plans.map((p) => [p.name, p]));
  return { shard, plan, plans: shareOf(plan, shard).map((name) => byName.get(name)!) };
}
