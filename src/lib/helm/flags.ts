/**
 * Helm command lines, by major version. Helm 4 renamed the flags deploy actions depend on:
 * `--atomic` became `--rollback-on-failure`, `--wait` takes a strategy (`--wait=watcher`), and
 * `--force` became `--force-replace`. Pure: tested for both majors without a cluster.
 */
export type HelmMajor = 3 | 4;

export interface UpgradeOptions {
  release: string;
  chart: string;
  namespace: string;
  createNamespace: boolean;
  repository?: string;
  version?: string;
  valuesFiles: string[];
  set: string[];
  setString: string[];
  setFile: string[];
  timeoutMs: number;
  wait: boolean;
  atomic: boolean;
  historyMax: number;
}

export function helmTimeout(ms: number): string {
  return `${Math.max(1, Math.ceil(ms / 1000))}s`;
}

export function waitFlags(major: HelmMajor): string[] {
  return major === 4 ? ['--wait=watcher'] : ['--wait'];
}

/** What selects and configures the chart: shared by the upgrade and its dry run so both render the same thing. */
export function chartArgs(o: UpgradeOptions): string[] {
  const args = ['--namespace', o.namespace];
  if (o.repository) args.push('--repo', o.repository);
  if (o.version) args.push('--version', o.version);
  for (const f of o.valuesFiles) args.push('--values', f);
  // One flag per value: Helm splits a --set value on commas, so values with commas must be escaped by the caller.
  for (const s of o.set) args.push('--set', s);
  for (const s of o.setString) args.push('--set-string', s);
  for (const s of o.setFile) args.push('--set-file', s);
  return args;
}

/**
 * The upgrade as Helm would make it, without making it: rendered against the cluster (the next
 * revision number, `.Release.IsUpgrade`, `lookup`, the cluster's API versions), printed as the
 * release record (`-o json`: manifest and hooks). `--dry-run=server` exists in Helm 3.13+ and 4.
 */
export function dryRunArgs(o: UpgradeOptions): string[] {
  return [
    'upgrade',
    '--install',
    o.release,
    o.chart,
    ...chartArgs(o),
    '--dry-run=server',
    '--output',
    'json',
  ];
}

/** One revision's record as Helm stores it (chart left out): `helm status --revision N -o json`. */
export function statusArgs(release: string, namespace: string, revision: number): string[] {
  return ['status', release, '--namespace', namespace, '--revision', String(revision), '--output', 'json'];
}

export function upgradeArgs(major: HelmMajor, o: UpgradeOptions): string[] {
  const args = [
    'upgrade',
    '--install',
    o.release,
    o.chart,
    ...chartArgs(o),
    '--timeout',
    helmTimeout(o.timeoutMs),
    '--history-max',
    String(o.historyMax),
  ];
  if (o.createNamespace) args.push('--create-namespace');
  if (o.atomic) args.push(major === 4 ? '--rollback-on-failure' : '--atomic');
  if (o.wait || o.atomic) {
    args.push(...waitFlags(major));
    // Helm 3 waits for Jobs only when asked; Helm 4's watcher waits for every resource's status.
    if (major === 3) args.push('--wait-for-jobs');
  }
  return args;
}

export function rollbackArgs(
  major: HelmMajor,
  release: string,
  revision: number,
  namespace: string,
  timeoutMs: number,
  wait: boolean,
): string[] {
  const args = [
    'rollback',
    release,
    String(revision),
    '--namespace',
    namespace,
    '--timeout',
    helmTimeout(timeoutMs),
  ];
  if (wait) args.push(...waitFlags(major));
  return args;
}

export function uninstallArgs(
  major: HelmMajor,
  release: string,
  namespace: string,
  timeoutMs: number,
  wait: boolean,
): string[] {
  const args = ['uninstall', release, '--namespace', namespace, '--timeout', helmTimeout(timeoutMs)];
  if (wait) args.push(...waitFlags(major));
  return args;
}

/** `--set` splits on unescaped commas; a value given on its own line must keep its commas. */
export function escapeSetValue(line: string): string {
  const eq = line.indexOf('=');
  if (eq < 0) return line;
  const key = line.slice(0, eq);
  const value = line.slice(eq + 1);
  return `${key}=${value.replace(/(?<!\\),/g, '\\,')}`;
}
