import { getJson, UnreachableError, type HttpSource } from '../net/get-json.js';

export type { HttpSource } from '../net/get-json.js';

/** An alert as Alertmanager's API v2 returns it (`GET /api/v2/alerts`). */
export interface AmAlert {
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  generatorURL?: string;
  status: {
    state: 'active' | 'suppressed' | 'unprocessed' | string;
    silencedBy: string[];
    inhibitedBy: string[];
  };
}

export interface AmMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  /** Absent in Alertmanager before 0.22: then always true. */
  isEqual?: boolean;
}

/** A silence (`GET /api/v2/silences`): planned maintenance, when it is active or pending. */
export interface AmSilence {
  id: string;
  matchers: AmMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  status: { state: 'active' | 'pending' | 'expired' | string };
}

/** Alertmanager's API v2: every alert it holds (active, silenced, inhibited) and every silence. */
export class AlertmanagerClient {
  constructor(private readonly source: HttpSource) {}

  async alerts(signal: AbortSignal): Promise<AmAlert[]> {
    const alerts = await getJson<AmAlert[]>(
      this.source,
      '/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true',
      signal,
      'Alertmanager',
    );
    if (!Array.isArray(alerts))
      throw new UnreachableError('Alertmanager answered /api/v2/alerts without a list');
    return alerts;
  }

  async silences(signal: AbortSignal): Promise<AmSilence[]> {
    const silences = await getJson<AmSilence[]>(this.source, '/api/v2/silences', signal, 'Alertmanager');
    if (!Array.isArray(silences))
      throw new UnreachableError('Alertmanager answered /api/v2/silences without a list');
    return silences;
  }
}
