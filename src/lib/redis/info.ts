/**
 * Redis `INFO` as data. The reply is `# Section` headers and `key:value` lines; a replica line on a
 * primary (`slave0:ip=…,port=…,state=online,offset=…,lag=0`) packs its own fields. Pure.
 */
export type RedisInfo = Record<string, Record<string, string>>;

export function parseInfo(text: string): RedisInfo {
  const out: RedisInfo = {};
  let section = 'default';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    const header = /^#\s*(.+)$/.exec(line);
    if (header) {
      section = header[1]!.trim().toLowerCase();
      out[section] ??= {};
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    (out[section] ??= {})[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return out;
}

/** A replica as its primary sees it (INFO replication on the primary). */
export interface ReplicaLink {
  id: string;
  address: string;
  state: string;
  /** Replication offset the replica acknowledged. */
  offset: number;
  /** Seconds since the replica last acknowledged (Redis rounds to whole seconds). */
  lagSeconds: number;
}

/** `slaveN` lines of a primary's INFO replication. */
export function replicasOf(replication: Record<string, string> | undefined): ReplicaLink[] {
  if (!replication) return [];
  const out: ReplicaLink[] = [];
  for (const [key, value] of Object.entries(replication)) {
    if (!/^slave\d+$/.test(key)) continue;
    const fields = Object.fromEntries(
      value.split(',').map((kv) => {
        const eq = kv.indexOf('=');
        return eq < 0 ? [kv, ''] : [kv.slice(0, eq), kv.slice(eq + 1)];
      }),
    );
    out.push({
      id: key,
      address: `${fields.ip ?? '?'}:${fields.port ?? '?'}`,
      state: fields.state ?? 'unknown',
      offset: Number(fields.offset ?? NaN),
      lagSeconds: Number(fields.lag ?? NaN),
    });
  }
  return out.sort((a, b) => Number(a.id.slice(5)) - Number(b.id.slice(5)));
}

/** A numeric field, or undefined when absent or not a number. */
export function infoNumber(info: RedisInfo, section: string, key: string): number | undefined {
  const v = info[section]?.[key];
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
