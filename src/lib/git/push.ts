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

// Reasons git gives when the branch moved under us. Server-side ones appear when two pushes race
// inside the server: the loser's ref update fails after the client-side fast-forward check passed.
const BEHIND = [/fetch first/, /non-fast-forward/, /stale info/, /failed to update ref/, /cannot lock ref/, /failed to lock/, /incorrect old value/, /reference already exists/, /is at [0-9a-f]+ but expected/];
const TRANSIENT = [/Could not resolve host/i, /Connection (reset|refused|timed out)/i, /Operation timed out/i, /early EOF/i, /RPC failed/i, /unexpected disconnect/i, /The remote end hung up unexpectedly/i, /\b(500|502|503|504)\b/, /remote: Internal Server Error/i, /TLS|SSL_(read|write)|gnutls_handshake/i];

/**
 * Classifies a push from its porcelain output (stdout), stderr and exit code.
 * `ref` is the destination (`refs/heads/<branch>`).
 */
export function classifyPush(ref: string, code: number, stdout: string, stderr: string): PushOutcome {
  const line = stdout.split('\n').find((l) => {
    const parts = l.split('\t');
    return parts.length >= 3 && (parts[1] ?? '').split(':').pop() === ref;
  });
  if (line) {
    const [flag, , summary = ''] = line.split('\t');
    const text = `${summary} ${stderr}`;
    switch (flag) {
      case ' ':
      case '*':
        return { kind: 'pushed', summary };
      case '=':
        return { kind: 'up-to-date', summary };
      case '!':
        if (BEHIND.some((re) => re.test(text))) return { kind: 'behind', reason: summary.trim() };
        if (TRANSIENT.some((re) => re.test(text))) return { kind: 'transient', reason: summary.trim() };
        return { kind: 'refused', reason: `${summary.trim()}${remoteLines(stderr)}` };
      default:
        // '+' (forced) and '-' (deleted) never come from our push; say so rather than guess.
        return { kind: 'refused', reason: `unexpected push result ${JSON.stringify(flag)}: ${summary}` };
    }
  }
  if (code === 0) return { kind: 'pushed', summary: '' };
  const text = `${stdout}\n${stderr}`;
  if (BEHIND.some((re) => re.test(text))) return { kind: 'behind', reason: lastLine(stderr) };
  if (TRANSIENT.some((re) => re.test(text))) return { kind: 'transient', reason: lastLine(stderr) };
  return { kind: 'refused', reason: lastLine(stderr) || `git push exited ${code}` };
}

function remoteLines(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.startsWith('remote:')).map((l) => l.slice(7).trim()).filter(Boolean);
  return lines.length ? ` (server said: ${lines.slice(0, 4).join(' ')})` : '';
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).slice(-3).join(' | ');
}

/**
 * Delay before push attempt `attempt` (2, 3, ...): exponential from `baseMs`, capped at `maxMs`,
 * with full jitter so runs that collided once do not collide again in lockstep.
 */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 2));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
