// Training mode per tenant: only one caller can hold it at a time.

export interface TrainingState {
  tenant: string;
  enabled: boolean;
  enabled_by: string | null;
  since: string | null;
  /** Conversation samples captured since it was enabled. */
  samples: number;
}

export type Outcome =
  { applied: true; state: TrainingState } | { applied: false; state: TrainingState; reason: string };

export class TrainingModes {
  private readonly holders = new Map<string, { by: string; since: string; samples: number }>();

  status(tenant: string): TrainingState {
    const h = this.holders.get(tenant);
    return h
      ? { tenant, enabled: true, enabled_by: h.by, since: h.since, samples: h.samples }
      : { tenant, enabled: false, enabled_by: null, since: null, samples: 0 };
  }

  enable(tenant: string, actor: string, now = new Date()): Outcome {
    const h = this.holders.get(tenant);
    if (h)
      return {
        applied: false,
        state: this.status(tenant),
        reason: `training mode of ${tenant} is already enabled by ${h.by} since ${h.since}`,
      };
    this.holders.set(tenant, { by: actor, since: now.toISOString(), samples: 0 });
    return { applied: true, state: this.status(tenant) };
  }

  disable(tenant: string): Outcome {
    if (!this.holders.has(tenant))
      return {
        applied: false,
        state: this.status(tenant),
        reason: `training mode of ${tenant} is not enabled`,
      };
    this.holders.delete(tenant);
    return { applied: true, state: this.status(tenant) };
  }

  /** Counts a conversation sample for the tenant if its training mode is on. */
  capture(tenant: string): boolean {
    const h = this.holders.get(tenant);
    if (!h) return false;
    h.samples++;
    return true;
  }

  enabledTenants(): string[] {
    return [...this.holders.keys()];
  }
}
