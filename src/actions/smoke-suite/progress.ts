import { formatDuration } from '../../lib/duration.js';
import type { AttemptRecord } from './verdict.js';
import { describeCounts } from './verdict.js';

/**
 * Progress lines for suites that run side by side: who started, who finished (with elapsed time),
 * and how many are running and waiting. Pure: it returns lines; the caller prints them.
 */
export class Progress {
  private readonly running = new Map<string, number>();
  private finished = 0;

  constructor(
    private readonly total: number,
    private readonly now: () => number = Date.now,
  ) {}

  started(name: string, attempt: number, retries: number): string {
    this.running.set(name, this.now());
    const which = retries > 0 ? ` (attempt ${attempt} of ${retries + 1})` : '';
    return `▶ ${name} started${which} · ${this.state()}`;
  }

  attemptEnded(name: string, a: AttemptRecord, willRetry: boolean): string {
    const since = this.running.get(name);
    this.running.delete(name);
    if (!willRetry) this.finished++;
    const elapsed = formatDuration(a.durationMs || (since !== undefined ? this.now() - since : 0));
    const counts = a.counts.tests > 0 ? ` · ${describeCounts(a.counts)}` : '';
    if (a.ok && a.counts.tests > 0 && a.counts.skipped === a.counts.tests)
      return `⚠ ${name} skipped every test in ${elapsed}${counts} · ${this.state()}`;
    if (a.ok) return `✔ ${name} passed in ${elapsed}${counts} · ${this.state()}`;
    return `✖ ${name} ${willRetry ? 'failed, retrying' : 'failed'} in ${elapsed}: ${a.reason ?? 'failed'} · ${this.state()}`;
  }

  /** A reminder of what is still running, for long suites. */
  heartbeat(): string | undefined {
    if (this.running.size === 0) return undefined;
    const t = this.now();
    const list = [...this.running.entries()]
      .map(([n, since]) => `${n} (${formatDuration(t - since)})`)
      .join(', ');
    return `… still running: ${list} · ${this.state()}`;
  }

  private state(): string {
    const waiting = Math.max(0, this.total - this.finished - this.running.size);
    return `${this.running.size} running, ${this.finished}/${this.total} done${waiting > 0 ? `, ${waiting} waiting` : ''}`;
  }
}
