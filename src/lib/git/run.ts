import { spawn } from 'node:child_process';
import { redactor } from '../redact.js';

export interface GitRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface GitOptions {
  cwd: string;
  env?: Record<string, string>;
  /** Extra `-c key=value` settings for this one command (never written to the repository's config). */
  config?: Record<string, string>;
  /** Return non-zero exits instead of throwing (the caller reads `code`). */
  allowFailure?: boolean;
}

/** A git command that failed; the message carries the command and git's own words (secrets redacted). */
export class GitCommandError extends Error {
  override readonly name = 'GitCommandError';
  constructor(
    readonly args: readonly string[],
    readonly code: number,
    readonly stderr: string,
  ) {
    super(
      redactor.redact(
        `git ${args.join(' ')} exited ${code}: ${stderr.trim().split('\n').slice(-6).join(' | ') || '(no output)'}`,
      ),
    );
  }
}

// Never prompt (a prompt would hang the step), parse git's messages in English, and keep the
// user's global settings (pagers, editors, signing) out of commands whose output we read.
const BASE_ENV: Record<string, string> = {
  GIT_TERMINAL_PROMPT: '0',
  GIT_EDITOR: 'true',
  GIT_SEQUENCE_EDITOR: 'true',
  GIT_PAGER: 'cat',
  LC_ALL: 'C',
  LANGUAGE: 'C',
};

/** Runs the `git` CLI (what every runner has; actions/checkout's credentials work with it). */
export async function git(args: readonly string[], opts: GitOptions): Promise<GitRun> {
  const run = await runGit(args, opts);
  return { code: run.code, stdout: run.stdout.toString('utf8'), stderr: run.stderr };
}

/** stdout of a git command that must succeed, as bytes (a blob's content, hashed as committed). */
export async function gitBytes(
  args: readonly string[],
  opts: Omit<GitOptions, 'allowFailure'>,
): Promise<Buffer> {
  return (await runGit(args, opts)).stdout;
}

function runGit(
  args: readonly string[],
  opts: GitOptions,
): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  const configArgs = Object.entries(opts.config ?? {}).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
  const fullArgs = [...configArgs, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn('git', fullArgs, {
      cwd: opts.cwd,
      env: { ...process.env, ...BASE_ENV, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) =>
      reject(new Error(`could not run git (is it installed and on PATH?): ${e.message}`)),
    );
    child.on('close', (code, signal) => {
      const run = {
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8'),
      };
      if (run.code !== 0 && !opts.allowFailure) {
        reject(new GitCommandError(args, run.code, run.stderr || run.stdout.toString('utf8')));
      } else {
        resolve(run);
      }
    });
  });
}

/** stdout of a git command that must succeed, trimmed. */
export async function gitOut(args: readonly string[], opts: GitOptions): Promise<string> {
  return (await git(args, opts)).stdout.trim();
}
