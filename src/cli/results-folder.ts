import { chmodSync, lstatSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '../lib/errors.js';

/**
 * Where the CLI keeps results between steps when no runner gives it a `RUNNER_TEMP`: a folder of
 * this user's (mode 0700, never a fixed path in /tmp that another user could create first or
 * read), one per session. The session is the local date unless COMMAND_CENTER_SESSION names
 * one, so results of an earlier day are never archived by a later run.
 */
export function cliRunnerTemp(
  env: NodeJS.ProcessEnv = process.env,
  now = new Date(),
): { dir: string; private: boolean } {
  if (env.RUNNER_TEMP) return { dir: env.RUNNER_TEMP, private: false };
  const session = env.COMMAND_CENTER_SESSION ?? localDate(now);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(session)) {
    throw new ConfigurationError(
      `COMMAND_CENTER_SESSION has value ${JSON.stringify(session)}: expected a name of letters, digits, '.', '_' or '-'`,
    );
  }
  const home = env.HOME || homedir();
  const base =
    env.XDG_STATE_HOME ||
    (home ? join(home, '.local', 'state') : join(tmpdir(), `command-center-${process.getuid?.() ?? 'user'}`));
  const root = join(base, 'command-center');
  privateFolder(root);
  const dir = join(root, 'cli', session);
  privateFolder(join(root, 'cli'));
  privateFolder(dir);
  return { dir, private: true };
}

/** Creates `dir` readable by this user only, or refuses one that is a link, someone else's, or open to others. */
export function privateFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  if (st.isSymbolicLink() || !st.isDirectory())
    throw new ConfigurationError(`${dir} must be a folder, not a link or a file: results are kept there`);
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid)
    throw new ConfigurationError(
      `${dir} belongs to another user (uid ${st.uid}): results are kept in a folder of your own`,
    );
  if ((st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

/**
 * After evidence-archive archived a session's results, they move to `archived/<stamp>/`, so a
 * later archive of the same session does not count them again (name them in `results` to).
 */
export function retireResults(
  resultsDir: string,
  names: readonly string[],
  now = new Date(),
): string | undefined {
  if (names.length === 0) return undefined;
  const into = join(resultsDir, 'archived', now.toISOString().replace(/[:.]/g, '-'));
  mkdirSync(into, { recursive: true, mode: 0o700 });
  for (const n of names) renameSync(join(resultsDir, n), join(into, n));
  return into;
}

/** The result files a step left in the session's results folder. */
export function resultFiles(resultsDir: string): string[] {
  try {
    return readdirSync(resultsDir)
      .filter((n) => n.endsWith('.json'))
      .sort();
  } catch {
    return [];
  }
}

function localDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
