import { HttpError } from '../lib/http.js';
import type { Decision } from '../lib/policy.js';

export interface Verdict {
  decision: Decision;
  /** The policy headers, passed on to the orchestrator's caller. */
  headers: Record<string, string>;
}

const PASSED_ON = ['X-Policy-Decision', 'X-Policy-Score', 'X-Constitution-Hash'];

/** Asks the policy engine, carrying the trace id so its decision event joins the same trace. */
export async function askPolicy(
  baseUrl: string,
  body: { session_id: string; tenant: string; user: string; prompt: string; role: string },
  traceId: string,
): Promise<Verdict> {
  let res: Response;
  try {
    res = await fetch(`${baseUrl}/v1/evaluate`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Trace-Id': traceId },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
  } catch (err) {
    throw new HttpError(
      503,
      'policy_engine_unavailable',
      `the policy engine did not answer: ${(err as Error).message}`,
    );
  }
  const payload = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.status === 404)
    throw new HttpError(404, 'unknown_tenant', String(payload.message ?? `tenant ${body.tenant} is unknown`));
  if (res.status === 400)
    throw new HttpError(
      400,
      'invalid_request',
      `the policy engine refused the request: ${String(payload.message)}`,
      { violations: payload.violations ?? [] },
    );
  if (!res.ok)
    throw new HttpError(
      503,
      'policy_engine_unavailable',
      `the policy engine answered ${res.status}: ${String(payload.message ?? '')}`,
    );
  const headers: Record<string, string> = {};
  for (const h of PASSED_ON) {
    const v = res.headers.get(h);
    if (v !== null) headers[h] = v;
  }
  return { decision: payload as unknown as Decision, headers };
}
