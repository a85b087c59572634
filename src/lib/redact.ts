/**
 * Keeps every secret the run has seen and removes them from text before it reaches a file.
 * Masking in the log is the runner's job (core.setSecret); this covers what we write to disk.
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(secret: string | undefined): void {
    if (!secret) return;
    const trimmed = secret.trim();
    // Very short strings would redact ordinary words and numbers; they are too weak to be secrets anyway.
    if (trimmed.length >= 4) this.secrets.add(trimmed);
    if (secret.includes('\n')) {
      for (const line of secret.split(/\r?\n/)) {
        if (line.trim().length >= 8) this.secrets.add(line.trim());
      }
    }
    // Credentials often travel base64-encoded (kubeconfig, Basic auth); catch those forms too.
    if (trimmed.length >= 4) this.secrets.add(Buffer.from(trimmed).toString('base64'));
  }

  get size(): number {
    return this.secrets.size;
  }

  redact(text: string): string {
    let out = text;
    // Longest first so a secret that contains another is replaced whole.
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) {
      if (out.includes(s)) out = out.split(s).join('***');
    }
    return out;
  }
}

/** The process-wide redactor; actions register secrets into it through lib/action/secrets. */
export const redactor = new Redactor();

/** Header names whose values are credentials, whatever their value looks like. */
export const SENSITIVE_HEADERS = new Set([
  'authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'api-key', 'x-auth-token', 'x-access-token',
]);

export function isSensitiveHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return SENSITIVE_HEADERS.has(lower) || /(^|-)(token|secret|password|api-key)$/.test(lower);
}

/** Copies a header map with credential values replaced, keeping the names so a reader knows they were sent. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = isSensitiveHeader(k) ? '***' : v;
  return out;
}
