import type { SetupJob, SetupStep } from '../config/setup.js';

/** Single-quoted for bash: safe for any text. */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/**
 * The configuration's `setup` commands as one bash script: each in its own subshell (so a `cd` in one
 * does not move the next), in a collapsible log group, stopping at the first that fails.
 */
export function setupScript(steps: readonly SetupStep[]): string {
  if (steps.length === 0) return '';
  const parts = ['set -euo pipefail'];
  steps.forEach((s, i) => {
    const title = s.name ?? s.run.split('\n')[0]!;
    parts.push(
      `echo ${shellQuote(`::group::setup ${i + 1}/${steps.length}: ${title.replace(/[\r\n]/g, ' ')}`)}`,
    );
    parts.push(
      `(\n${s.workingDirectory ? `cd -- ${shellQuote(s.workingDirectory)}\n` : ''}${s.run.trimEnd()}\n)`,
    );
    parts.push(`echo '::endgroup::'`);
  });
  return `${parts.join('\n')}\n`;
}

/** Every job's script, keyed by job id (the `setup-jobs` output): a job without commands has ''. */
export function setupScripts(
  byJob: Readonly<Record<SetupJob, readonly SetupStep[]>>,
): Record<SetupJob, string> {
  return Object.fromEntries(Object.entries(byJob).map(([job, steps]) => [job, setupScript(steps)])) as Record<
    SetupJob,
    string
  >;
}
