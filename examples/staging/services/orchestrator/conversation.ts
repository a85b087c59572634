import { randomUUID } from 'node:crypto';
import type { RedisClientType } from 'redis';
import type { Role } from '../lib/constitution.js';

// Conversations: sessions live in Redis (the stack's primary, as the ACL user cc-app), so any
// orchestrator instance can serve any session and a Redis outage is an outage of conversations; the
// reply to a prompt is deterministic (the stand-in has no model: what matters is that replies are
// predictable and streamed the same way a model's would be).

export interface Session {
  session_id: string;
  tenant: string;
  user: string;
  role: Role;
  started_at: string;
  steps: number;
}

/** A connected node-redis client (RESP 3, no modules). */
export type Redis = RedisClientType;

/**
 * Sessions as Redis hashes `<prefix>session:<id>` with a sliding expiry (every use renews it), plus a
 * sorted set of recent use that gives the number of active sessions without scanning keys.
 */
export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds = 2 * 3600,
    private readonly prefix = 'orchestrator:',
  ) {}

  private key(id: string): string {
    return `${this.prefix}session:${id}`;
  }

  private get recent(): string {
    return `${this.prefix}sessions:recent`;
  }

  async start(tenant: string, user: string, role: Role, now = Date.now()): Promise<Session> {
    const s: Session = {
      session_id: `sess-${randomUUID()}`,
      tenant,
      user,
      role,
      started_at: new Date(now).toISOString(),
      steps: 0,
    };
    await this.redis
      .multi()
      .hSet(this.key(s.session_id), { ...s, steps: '0' })
      .expire(this.key(s.session_id), this.ttlSeconds)
      .zAdd(this.recent, { score: now, value: s.session_id })
      .exec();
    return s;
  }

  async get(id: string, now = Date.now()): Promise<Session | undefined> {
    const [fields] = await this.redis
      .multi()
      .hGetAll(this.key(id))
      .expire(this.key(id), this.ttlSeconds, 'XX')
      .exec();
    const h = fields as unknown as Record<string, string>;
    if (!h || !h.session_id) return undefined;
    await this.redis.zAdd(this.recent, { score: now, value: id });
    return {
      session_id: h.session_id,
      tenant: h.tenant!,
      user: h.user!,
      role: h.role as Role,
      started_at: h.started_at!,
      steps: Number(h.steps),
    };
  }

  /** Counts one more step of a session; the new step number (atomic across instances). */
  async nextStep(id: string): Promise<number> {
    return Number(await this.redis.hIncrBy(this.key(id), 'steps', 1));
  }

  /** Sessions used within the expiry (older entries of the recent-use set are dropped on the way). */
  async activeCount(now = Date.now()): Promise<number> {
    await this.redis.zRemRangeByScore(this.recent, '-inf', now - this.ttlSeconds * 1000);
    return Number(await this.redis.zCard(this.recent));
  }
}

/** The reply to a prompt at a given step of a session. */
export function replyFor(prompt: string, step: number): string {
  const topic = prompt
    .trim()
    .split(/\s+/)
    .slice(0, 8)
    .join(' ')
    .replace(/[?.!]+$/, '');
  return `Step ${step}: you asked about "${topic}". Here is a short answer from the staging knowledge base, checked against your tenant's constitution.`;
}

/** Splits a reply into stream tokens that concatenate back to it exactly (words keep their trailing space). */
export function tokens(reply: string): string[] {
  return reply.match(/\S+\s*/g) ?? [];
}
