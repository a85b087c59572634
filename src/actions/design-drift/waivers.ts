import { parse as parseYaml } from 'yaml';
import { ConfigurationError, quote } from '../../lib/errors.js';
import { isCalendarDate } from '../../lib/dates.js';
import { validateAgainst, type JsonSchema } from '../../lib/schema.js';
import { covers } from '../../lib/contracts/pointer.js';
import type { Change } from '../../lib/contracts/change.js';

/** An accepted finding: who accepted it, why, and until when. */
export interface Waiver {
  rule: string;
  path: string;
  reason: string;
  owner: string;
  expires: string;
}

const waiverSchema: JsonSchema = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['rule', 'path', 'reason', 'owner', 'expires'],
    properties: {
      rule: { type: 'string', minLength: 1 },
      path: { type: 'string', minLength: 1 },
      reason: { type: 'string', minLength: 3 },
      owner: { type: 'string', minLength: 1 },
      expires: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    },
  },
};

/** Reads a waivers file: a YAML list, or `{ waivers: [...] }`. Every problem names the file and the entry. */
export function parseWaivers(text: string, file: string): Waiver[] {
  let doc: unknown;
  try {
    doc = parseYaml(text, { uniqueKeys: true });
  } catch (err) {
    throw new ConfigurationError(`input 'waivers': ${file} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return [];
  if (doc && typeof doc === 'object' && !Array.isArray(doc) && 'waivers' in doc) doc = (doc as { waivers: unknown }).waivers;
  const violations = validateAgainst(waiverSchema, doc);
  if (violations.length > 0) {
    const v = violations[0]!;
    throw new ConfigurationError(`input 'waivers': ${file} is invalid at ${v.pointer || 'the top level'}${v.value !== undefined && typeof v.value !== 'object' ? ` (value ${quote(String(v.value), 80)})` : ''}: ${v.message}; each waiver needs rule, path, reason, owner and expires (YYYY-MM-DD)`);
  }
  const list = doc as Waiver[];
  list.forEach((w, i) => {
    if (!isCalendarDate(w.expires)) throw new ConfigurationError(`input 'waivers': ${file} entry ${i} has expires ${quote(w.expires)}, which is not a calendar date (YYYY-MM-DD)`);
  });
  return list;
}

function ruleMatches(pattern: string, rule: string): boolean {
  if (!pattern.includes('*')) return pattern === rule;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(rule);
}

/**
 * A waiver's `path` names what it covers: an operation (`GET /users/{id}`, `send policy.decisions`),
 * a JSON pointer in the declared file and everything below it (`/components/schemas/User`), a declared
 * file (`specs/users.yaml`), or a file and pointer (`specs/users.yaml#/components/schemas/User`).
 */
export function waiverCovers(w: Waiver, c: Pick<Change, 'rule' | 'operation' | 'file' | 'pointer'>): boolean {
  if (!ruleMatches(w.rule, c.rule)) return false;
  const p = w.path;
  if (c.operation !== undefined && p === c.operation) return true;
  if (p === c.file) return true;
  if (p.startsWith('/') && covers(p, c.pointer)) return true;
  const hash = p.indexOf('#');
  if (hash > 0 && p.slice(0, hash) === c.file && covers(p.slice(hash + 1), c.pointer)) return true;
  return false;
}

export interface WaiverOutcome {
  /** Waivers whose expiry date is before today: each fails the check until renewed or removed. */
  expired: Waiver[];
  /** Active waivers that matched at least one change. */
  used: Waiver[];
  /** Active waivers that matched nothing (the drift they covered is gone: remove them). */
  unused: Waiver[];
}

/** Marks each change covered by an active waiver; a waiver is active through its expiry day. */
export function applyWaivers<T extends Pick<Change, 'rule' | 'operation' | 'file' | 'pointer'> & { waivedBy?: Waiver }>(changes: T[], waivers: readonly Waiver[], today: string): WaiverOutcome {
  const expired = waivers.filter((w) => w.expires < today);
  const active = waivers.filter((w) => w.expires >= today);
  const used = new Set<Waiver>();
  for (const c of changes) {
    const w = active.find((x) => waiverCovers(x, c));
    if (w) {
      c.waivedBy = w;
      used.add(w);
    }
  }
  return { expired, used: active.filter((w) => used.has(w)), unused: active.filter((w) => !used.has(w)) };
}
