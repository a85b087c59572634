import { spawnSync } from 'node:child_process';

/**
 * bash's syntax error for a command line, or undefined when it parses. `bash -n` reads the line from
 * stdin and only parses it: nothing is executed, expanded or sourced.
 */
export function bashSyntaxError(line: string, bash = 'bash'): string | undefined {
  const r = spawnSync(bash, ['-n'], { input: line, encoding: 'utf8', timeout: 10_000 });
  if (r.error) throw new Error(`cannot run ${bash} -n to check shell syntax: ${r.error.message}`);
  if (r.status === 0) return undefined;
  // "bash: line 1: syntax error near unexpected token `|'" → without the program name; one line per error.
  const message = r.stderr
    .split('\n')
    .map((l) => l.replace(/^[^:]*bash: /, '').trim())
    .filter(Boolean)
    .join('; ');
  return message || `bash -n exited with status ${r.status}`;
}
