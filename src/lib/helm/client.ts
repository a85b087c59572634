import { spawn, type ChildProcess } from 'node:child_process';
import { ConfigurationError } from '../errors.js';
import { redactor } from '../redact.js';
import {
  dryRunArgs,
  rollbackArgs,
  statusArgs,
  uninstallArgs,
  upgradeArgs,
  type HelmMajor,
  type UpgradeOptions,
} from './flags.js';
import { parseRecordJson, type ReleaseRecord } from './release-record.js';
import type { ReleaseRevision } from './release.js';

export interface HelmClientOptions {
  binary: string;
  kubeconfigPath: string;
  kubeContext?: string;
  /** Lines of helm's output as they arrive (for the step log). */
  onLine?: (line: string) => void;
}

export interface HelmRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  killed: boolean;
}

export class HelmError extends Error {
  constructor(
    message: string,
    readonly run?: HelmRun,
  ) {
    super(message);
    this.name = 'HelmError';
  }
}

/** Runs the helm CLI against one kubeconfig/context; every call is bounded by a timeout. */
export class HelmClient {
  private majorVersion?: HelmMajor;
  private running = new Set<ChildProcess>();
  version = '';

  constructor(private readonly opts: HelmClientOptions) {}

  /**
   * The same helm (its version already detected) with its output lines going elsewhere, e.g. prefixed
   * with a release's name when several deploy at once. Its runs are this client's: `signal` and
   * `idle` of either reach them all.
   */
  withOutput(onLine: (line: string) => void): HelmClient {
    const other = new HelmClient({ ...this.opts, onLine });
    if (this.majorVersion) other.majorVersion = this.majorVersion;
    other.version = this.version;
    other.running = this.running;
    return other;
  }

  get major(): HelmMajor {
    if (!this.majorVersion) throw new Error('call detectVersion() first');
    return this.majorVersion;
  }

  async detectVersion(): Promise<{ version: string; major: HelmMajor }> {
    const run = await this.run(['version', '--template', '{{.Version}}'], 30_000, false);
    if (run.exitCode !== 0)
      throw new ConfigurationError(
        `input 'helm': ${this.opts.binary} did not run (${firstLine(run.stderr) || `exit ${run.exitCode}`})`,
      );
    const version = run.stdout.trim();
    const m = /^v?(\d+)\.(\d+)/.exec(version);
    const major = Number(m?.[1]);
    if (major !== 3 && major !== 4)
      throw new ConfigurationError(
        `input 'helm': ${this.opts.binary} reports version ${JSON.stringify(version)}; Helm 3 or 4 is required`,
      );
    this.majorVersion = major;
    this.version = version;
    return { version, major };
  }

  /** Revisions of the release, oldest first; empty when it does not exist. */
  async history(release: string, namespace: string): Promise<ReleaseRevision[]> {
    const run = await this.run(
      ['history', release, '--namespace', namespace, '--max', '256', '--output', 'json'],
      60_000,
    );
    if (run.exitCode !== 0) {
      if (/release: not found/i.test(run.stderr)) return [];
      throw new HelmError(`helm history failed: ${firstLine(run.stderr)}`, run);
    }
    return (JSON.parse(run.stdout || '[]') as ReleaseRevision[]).sort((a, b) => a.revision - b.revision);
  }

  /**
   * The record of what the upgrade would deploy, rendered by Helm against the cluster without
   * changing it: the true preview for a diff (see dryRunArgs).
   */
  async dryRun(o: UpgradeOptions): Promise<ReleaseRecord> {
    // Parsed, never printed: read as helm wrote it (a value redacted to `***` would be a YAML alias).
    const run = await this.run(dryRunArgs(o), 120_000, false, true);
    if (run.exitCode !== 0)
      throw new ConfigurationError(`the chart did not render: ${cleanHelmError(run.stderr)}`);
    try {
      return parseRecordJson(run.stdout);
    } catch (err) {
      throw new HelmError(`helm's dry run printed no release record: ${(err as Error).message}`, run);
    }
  }

  /** One revision's record (manifest, hooks and their last runs); undefined when it does not exist. */
  async record(release: string, namespace: string, revision: number): Promise<ReleaseRecord | undefined> {
    const run = await this.run(statusArgs(release, namespace, revision), 60_000, false, true);
    if (run.exitCode !== 0) {
      if (/not found/i.test(run.stderr)) return undefined;
      throw new HelmError(`helm status failed: ${firstLine(run.stderr)}`, run);
    }
    return parseRecordJson(run.stdout);
  }

  upgrade(o: UpgradeOptions, graceMs: number): Promise<HelmRun> {
    return this.run(upgradeArgs(this.major, o), o.timeoutMs + graceMs, true);
  }

  rollback(
    release: string,
    revision: number,
    namespace: string,
    timeoutMs: number,
    wait: boolean,
  ): Promise<HelmRun> {
    return this.run(
      rollbackArgs(this.major, release, revision, namespace, timeoutMs, wait),
      timeoutMs + 30_000,
      true,
    );
  }

  uninstall(release: string, namespace: string, timeoutMs: number, wait: boolean): Promise<HelmRun> {
    return this.run(uninstallArgs(this.major, release, namespace, timeoutMs, wait), timeoutMs + 30_000, true);
  }

  /**
   * Passes a signal the step received on to every helm still running: helm answers SIGTERM and
   * SIGINT by failing the operation cleanly, instead of leaving the release pending when it is
   * killed along with the step.
   */
  signal(sig: NodeJS.Signals): void {
    for (const child of this.running) child.kill(sig);
  }

  /** Resolves once no helm runs any more, or after `ms`. */
  idle(ms: number): Promise<void> {
    const waits = [...this.running].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) resolve();
          else child.once('close', () => resolve());
        }),
    );
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      void Promise.all(waits).then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /**
   * Runs helm; output is redacted before anyone sees it (`rawStdout`: stdout as helm wrote it, for
   * machine-readable output that is parsed and never printed). A run past `timeoutMs` is killed.
   */
  run(args: string[], timeoutMs: number, stream = false, rawStdout = false): Promise<HelmRun> {
    const started = Date.now();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KUBECONFIG: this.opts.kubeconfigPath,
      HELM_DEBUG: 'false',
    };
    if (this.opts.kubeContext) env.HELM_KUBECONTEXT = this.opts.kubeContext;
    return new Promise((resolve) => {
      let child;
      try {
        child = spawn(this.opts.binary, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (err) {
        resolve({ exitCode: null, stdout: '', stderr: (err as Error).message, durationMs: 0, killed: false });
        return;
      }
      const proc = child;
      this.running.add(proc);
      let stdout = '';
      let stderr = '';
      let killed = false;
      let partial = '';
      const emit = (chunk: string) => {
        if (!stream || !this.opts.onLine) return;
        partial += chunk;
        const lines = partial.split('\n');
        partial = lines.pop() ?? '';
        for (const l of lines) this.opts.onLine(redactor.redact(l));
      };
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        emit(d.toString());
      });
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        emit(d.toString());
      });
      const timer = setTimeout(() => {
        killed = true;
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }, timeoutMs);
      child.on('error', (err) => {
        clearTimeout(timer);
        this.running.delete(proc);
        resolve({
          exitCode: null,
          stdout,
          stderr: `${stderr}${err.message}`,
          durationMs: Date.now() - started,
          killed,
        });
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        this.running.delete(proc);
        if (partial && stream && this.opts.onLine) this.opts.onLine(redactor.redact(partial));
        resolve({
          exitCode: code,
          stdout: rawStdout ? stdout : redactor.redact(stdout),
          stderr: redactor.redact(stderr),
          durationMs: Date.now() - started,
          killed,
        });
      });
    });
  }
}

function firstLine(text: string): string {
  return (
    text
      .trim()
      .split('\n')
      .find((l) => l.trim()) ?? ''
  );
}

/**
 * Whether helm failed on the chart or its values (a template or YAML error, a schema violation)
 * rather than on the cluster: that is the user's to fix.
 */
export function isRenderError(stderr: string): boolean {
  return /parse error|failed to parse|error converting YAML|YAML parse error|template: |execution error at|values don't meet the specifications|unable to build kubernetes objects/i.test(
    stderr,
  );
}

/** Helm's errors start with "Error: " and often wrap several causes; keep them readable. */
export function cleanHelmError(stderr: string): string {
  // Helm 4 logs the error once more as a structured line (`level=WARN msg=...`) before printing it.
  const lines = stderr
    .trim()
    .split('\n')
    .filter((l) => l.trim() && !/^(WARNING|walk\.go|level=(WARN|INFO|DEBUG) )/.test(l));
  return lines
    .map((l) => l.replace(/^Error:\s*/, ''))
    .join(' ')
    .slice(0, 2000);
}
