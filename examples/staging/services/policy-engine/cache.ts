import { verifySignedBundle, type SignedBundle } from '../lib/constitution.js';
import { HttpError } from '../lib/http.js';

export interface CachedConstitution {
  signed: SignedBundle;
  appliedAt: number;
}

export interface UpdateEvent {
  tenant: string;
  version: number;
  hash: string;
}

/**
 * The policy engine's copy of each tenant's constitution. A tenant is fetched (and its signature
 * checked) the first time it is evaluated; after that only constitution.updated refreshes it, so the
 * engine's answers show whether it keeps up with the topic.
 */
export class ConstitutionCache {
  private readonly entries = new Map<string, CachedConstitution>();
  private readonly inflight = new Map<string, Promise<CachedConstitution>>();
  private trustedKey: string | undefined;
  /** When the engine last applied a constitution.updated event (epoch ms); start-up counts as one. */
  lastAppliedAt = Date.now();
  /** The constitution.updated event applied last, with its trace id (the sync alert links it). */
  lastAppliedTrace: { tenant: string; version: number; traceId: string } | undefined;
  applied = 0;

  constructor(
    private readonly constitutionUrl: string,
    private readonly maxTenants = 1000,
  ) {}

  async loadTrustedKey(): Promise<void> {
    const res = await fetch(`${this.constitutionUrl}/v1/keys`, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`constitution service answered ${res.status} for /v1/keys`);
    const body = (await res.json()) as { keys: { public_key: string }[] };
    this.trustedKey = body.keys[0]?.public_key;
    if (!this.trustedKey) throw new Error('constitution service lists no signing key');
  }

  size(): number {
    return this.entries.size;
  }

  list(): CachedConstitution[] {
    return [...this.entries.values()];
  }

  async get(tenant: string, traceId: string): Promise<CachedConstitution> {
    const hit = this.entries.get(tenant);
    if (hit) return hit;
    return this.load(tenant, traceId);
  }

  /** Applies a constitution.updated event: refreshes the tenant when the event is newer than the copy. */
  async apply(event: UpdateEvent, traceId: string): Promise<'refreshed' | 'current' | 'not-cached'> {
    this.lastAppliedAt = Date.now();
    this.lastAppliedTrace = { tenant: event.tenant, version: event.version, traceId };
    this.applied++;
    const hit = this.entries.get(event.tenant);
    if (!hit) return 'not-cached';
    if (hit.signed.version >= event.version) return 'current';
    const fresh = await this.load(event.tenant, traceId);
    if (fresh.signed.version === event.version && fresh.signed.hash !== event.hash) {
      process.stderr.write(
        `[policy-engine] constitution.updated for ${event.tenant} v${event.version} announced hash ${event.hash}, service serves ${fresh.signed.hash}\n`,
      );
    }
    return 'refreshed';
  }

  private load(tenant: string, traceId: string): Promise<CachedConstitution> {
    let p = this.inflight.get(tenant);
    if (!p) {
      p = this.fetchVerified(tenant, traceId).finally(() => this.inflight.delete(tenant));
      this.inflight.set(tenant, p);
    }
    return p;
  }

  private async fetchVerified(tenant: string, traceId: string): Promise<CachedConstitution> {
    if (!this.trustedKey) await this.loadTrustedKey();
    let res: Response;
    try {
      res = await fetch(`${this.constitutionUrl}/v1/constitution/${encodeURIComponent(tenant)}`, {
        headers: { 'X-Trace-Id': traceId },
        signal: AbortSignal.timeout(5000),
      });
    } catch (err) {
      throw new HttpError(
        503,
        'constitution_unavailable',
        `the constitution service did not answer: ${(err as Error).message}`,
      );
    }
    if (res.status === 404)
      throw new HttpError(404, 'unknown_tenant', `tenant ${JSON.stringify(tenant)} has no constitution`);
    if (!res.ok)
      throw new HttpError(503, 'constitution_unavailable', `the constitution service answered ${res.status}`);
    const signed = (await res.json()) as SignedBundle;
    const problem = verifySignedBundle(signed, this.trustedKey!);
    if (problem)
      throw new HttpError(
        503,
        'constitution_untrusted',
        `the constitution of ${tenant} failed verification: ${problem}`,
      );
    const entry = { signed, appliedAt: Date.now() };
    // A slower, older answer must not replace a newer copy.
    const current = this.entries.get(tenant);
    if (!current || current.signed.version <= signed.version) {
      this.entries.delete(tenant);
      this.entries.set(tenant, entry);
    }
    // Oldest first (Map order): the tenants not refreshed for longest make room.
    while (this.entries.size > this.maxTenants) this.entries.delete(this.entries.keys().next().value!);
    return this.entries.get(tenant) ?? entry;
  }
}
