import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Bundle, Role, Rule } from '../lib/constitution.js';
import { SEED_TENANTS } from './seed.js';

export interface Draft {
  threshold: number;
  rules: Rule[];
  role_modifiers?: Record<Role, number>;
  updated_by: string;
}

const DEFAULT_ROLE_MODIFIERS: Record<Role, number> = { guest: 0.2, user: 0, operator: -0.1, admin: -0.2 };

/**
 * The latest constitution of each tenant, kept in a JSON file so versions survive restarts. Suites
 * make a tenant of their own per test; beyond `maxTenants` the least recently updated ones that
 * are not seeded are dropped, so the file stays small however often they run.
 */
export class ConstitutionStore {
  private readonly bundles = new Map<string, Bundle>();

  constructor(
    private readonly path: string,
    private readonly maxTenants = 1000,
  ) {
    if (existsSync(path)) {
      const saved = JSON.parse(readFileSync(path, 'utf8')) as { bundles: Bundle[] };
      for (const b of saved.bundles) this.bundles.set(b.tenant, b);
    }
    let seeded = false;
    for (const [tenant, draft] of Object.entries(SEED_TENANTS)) {
      if (this.bundles.has(tenant)) continue;
      this.bundles.set(tenant, nextBundle(undefined, tenant, draft, new Date()));
      seeded = true;
    }
    if (seeded) this.save();
  }

  get(tenant: string): Bundle | undefined {
    return this.bundles.get(tenant);
  }

  tenants(): string[] {
    return [...this.bundles.keys()].sort();
  }

  /** Stores the next version of a tenant's constitution; `created` is true for a new tenant. */
  put(tenant: string, draft: Draft, now = new Date()): { bundle: Bundle; created: boolean } {
    const previous = this.bundles.get(tenant);
    const bundle = nextBundle(previous, tenant, draft, now);
    // Re-inserted so the map's order is least recently updated first.
    this.bundles.delete(tenant);
    this.bundles.set(tenant, bundle);
    for (const t of this.bundles.keys()) {
      if (this.bundles.size <= this.maxTenants) break;
      if (!(t in SEED_TENANTS)) this.bundles.delete(t);
    }
    this.save();
    return { bundle, created: previous === undefined };
  }

  private save(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ bundles: [...this.bundles.values()] }, null, 1)}\n`);
    renameSync(tmp, this.path);
  }
}

export function nextBundle(previous: Bundle | undefined, tenant: string, draft: Draft, now: Date): Bundle {
  return {
    tenant,
    version: (previous?.version ?? 0) + 1,
    threshold: draft.threshold,
    rules: draft.rules,
    role_modifiers: draft.role_modifiers ?? previous?.role_modifiers ?? DEFAULT_ROLE_MODIFIERS,
    updated_at: now.toISOString(),
    updated_by: draft.updated_by,
  };
}
