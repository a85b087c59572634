/** What one `git push --porcelain` said about the ref we pushed. */
export type PushOutcome =
  | { kind: 'pushed'; summary: string }
  | { kind: 'up-to-date'; summary: string }
  /** Someone else pushed first: fetch, rebase onto their commit and try again. */
  | { kind: 'behind'; reason: string }
  /** The server refused for a reason a retry cannot fix (protected branch, hook, permissions). */
  | { kind: 'refused'; reason: string }
  /** The network or the server failed; a later attempt may succeed. */
  | { kind: 'transient'; reason: string };

// Why a ref update lost a race: the branch moved under us. `fetch first`/`non-fast-forward` come
// from the client-side check; the others from two pushes racing inside the server, where the
// loser's ref update fails after its checks passed ("is at X but expected Y").
const BEHIND = [
  /\((?:fetch first|non-fast-forward|stale info)\)/,
  /is at [0-9a-f]{4,} but expected [0-9a-f]{4,}/,
  /incorrect old value provided/,
  // Two runs creating the same new branch: the other one's commit is there to rebase onto.
  /cannot lock ref '[^']+': reference already exists/,
];
// A ref that can never be created, whatever is retried: `release` exists, so `release/x` cannot.
const REF_CLASH = [/exists; cannot create/, /cannot lock ref '[^']+': unable to resolve reference/];
// Trouble on the way to the server. Matched only in git's own lines (`fatal:`, `error:`), never in
// what the server's hooks print: a hook that says "500 KB" is a refusal, not an HTTP 500.
const TRANSIENT = [
  /^(?:fatal|error): .*Could not resolve host/i,
  /^(?:fatal|error): .*Connection (?:reset|refused|timed out)/i,
  /^(?:fatal|error): .*Operation timed out/i,
  /^(?:fatal|error): .*(?:early EOF|unexpected disconnect)/i,
  /^fatal: the remote end hung up unexpectedly/i,
  /^error: RPC failed; (?:HTTP (?:500|502|503|504)|curl (?:18|52|55|56))/i,
  /^fatal: unable to access '[^']*': The requested URL returned error: (?:500|502|503|504)$/i,
  /^(?:fatal|error): .*(?:gnutls_handshake|SSL_read|SSL_write|TLS connection)/i,
];

/** git's own lines of stderr (not the server's `remote:` lines). */
function gitLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^(?:fatal|error):/.test(l));
}

const transient = (stderr: string) => gitLines(stderr).some((l) => TRANSIENT.some((re) => re.test(l)));

/**
 * Classifies a push from its porcelain output (stdout), stderr and exit code.
 * `ref` is the destination (`refs/heads/<branch>`). A `[remote rejected]` is a refusal unless git
 * says the ref moved: a hook, a protection rule or a ref clash are not fixed by trying again.
 * `leased`: the push replaced its own branch with `--force-with-lease`, so a forced update (`+`) is
 * what was asked for, and a stale lease means the branch moved.
 */
export function classifyPush(
  ref: string,
  code: number,
  stdout: string,
  stderr: string,
  o: { leased?: boolean } = {},
): PushOutcome {
  const line = stdout.split('\n').find((l) => {
    const parts = l.split('\t');
    return parts.length >= 3 && (parts[1] ?? '').split(':').pop() === ref;
  });
  if (line) {
    const [flag, , summary = ''] = line.split('\t');
    const text = `${summary}\n${stderr}`;
    switch (flag) {
      case ' ':
      case '*':
        return { kind: 'pushed', summary };
      case '+':
        if (o.leased) return { kind: 'pushed', summary };
        return { kind: 'refused', reason: `unexpected push result "+": ${summary}` };
      case '=':
        return { kind: 'up-to-date', summary };
      case '!':
        if (REF_CLASH.some((re) => re.test(text)))
          return { kind: 'refused', reason: `${summary.trim()}${remoteLines(stderr)}` };
        if (BEHIND.some((re) => re.test(text))) return { kind: 'behind', reason: summary.trim() };
        if (transient(stderr)) return { kind: 'transient', reason: summary.trim() };
        return { kind: 'refused', reason: `${summary.trim()}${remoteLines(stderr)}` };
      default:
        // '-' (deleted) never comes from our push; say so rather than guess.
        return { kind: 'refused', reason: `unexpected push result ${JSON.stringify(flag)}: ${summary}` };
    }
  }
  if (code === 0) return { kind: 'pushed', summary: '' };
  const text = `${stdout}\n${stderr}`;
  if (REF_CLASH.some((re) => re.test(text)))
    return { kind: 'refused', reason: `${lastLine(stderr)}${remoteLines(stderr)}` };
  if (BEHIND.some((re) => re.test(text))) return { kind: 'behind', reason: lastLine(stderr) };
  if (transient(stderr)) return { kind: 'transient', reason: lastLine(stderr) };
  return {
    kind: 'refused',
    reason: `${lastLine(stderr) || `git push exited ${code}`}${remoteLines(stderr)}`,
  };
}

/** What the server printed (`remote:` lines), quoted in a refusal so the reason is not lost. */
export function remoteLines(stderr: string): string {
  const lines = stderr
    .split('\n')
    .filter((l) => l.startsWith('remote:'))
    .map((l) => l.slice(7).trim())
    .filter(Boolean);
  return lines.length ? ` (server said: ${lines.slice(0, 8).join(' ')})` : '';
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).slice(-3).join(' | ');
}

/**
 * Delay before push attempt `attempt` (2, 3, ...): exponential from `baseMs`, capped at `maxMs`,
 * with full jitter so runs that collided once do not collide again in lockstep.
 */
export function retryDelayMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 2));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
