import { randomUUID } from 'node:crypto';
import type { Role } from '../lib/constitution.js';

// Conversations: sessions in memory, and a deterministic reply per prompt (the stand-in has no model;
// what matters is that replies are predictable and streamed the same way a model's would be).

export interface Session {
  session_id: string;
  tenant: string;
  user: string;
  role: Role;
  started_at: string;
  steps: number;
  lastUsed: number;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly max = 20_000,
    private readonly ttlMs = 2 * 3600_000,
  ) {}

  start(tenant: string, user: string, role: Role, now = Date.now()): Session {
    const s: Session = {
      session_id: `sess-${randomUUID()}`,
      tenant,
      user,
      role,
      started_at: new Date(now).toISOString(),
      steps: 0,
      lastUsed: now,
    };
    this.sessions.set(s.session_id, s);
    // Oldest first: Map keeps insertion order, and get() re-inserts on use.
    while (this.sessions.size > this.max) this.sessions.delete(this.sessions.keys().next().value!);
    return s;
  }

  get(id: string, now = Date.now()): Session | undefined {
    const s = this.sessions.get(id);
    if (!s) return undefined;
    if (now - s.lastUsed > this.ttlMs) {
      this.sessions.delete(id);
      return undefined;
    }
    s.lastUsed = now;
    this.sessions.delete(id);
    this.sessions.set(id, s);
    return s;
  }

  size(): number {
    return this.sessions.size;
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
