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

/**
 * The parts of a secret that travel on their own and must be redacted too: the value of a
 * `Name: value` header, the credential after an auth scheme (`Bearer abc` -> `abc`), and the
 * password of a URL's user-info (`https://user:pw@host` -> `pw`). A file that quotes only the bare
 * token is then scrubbed as well as one that quotes the whole header.
 */
export function credentialParts(secret: string): string[] {
  const out = new Set<string>([secret]);
  const text = secret.trim();
  // A multi-line secret (a kubeconfig, a PEM key) is a document, not a header: it is masked line by line.
  if (text.includes('\n')) return [...out];
  const header = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+\s*:\s*(?!\/\/)(\S.*)$/s.exec(text);
  const value = header ? header[1]!.trim() : text;
  out.add(value);
  const scheme = /^[A-Za-z][A-Za-z0-9._-]*\s+(\S.*)$/s.exec(value);
  if (scheme) out.add(scheme[1]!.trim());
  for (const m of text.matchAll(/\/\/[^\s:/@]+:([^\s/@]+)@/g)) out.add(m[1]!);
  return [...out].filter((p) => p.length > 0);
}

/** The process-wide redactor; actions register secrets into it through lib/action/secrets. */
export const redactor = new Redactor();

/** Header names whose values are credentials, whatever their value looks like. */
export const SENSITIVE_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'x-auth-token',
  'x-access-token',
]);

/** `X-Foo-Token`, `X-Service-Auth`, `X-Session-Cookie`, ...: credentials by the shape of their name. */
export function isSensitiveHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    SENSITIVE_HEADERS.has(lower) ||
    /(^|-)(token|secret|password|api-key|apikey|auth|cookie|credentials?)$/.test(lower)
  );
}

/** Copies a header map with credential values replaced, keeping the names so a reader knows they were sent. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = isSensitiveHeader(k) ? MASK : v;
  return out;
}

const MASK = '***';

/**
 * Names of fields, query parameters and settings whose values are credentials. One list for the
 * text patterns below, query strings and JSON documents, so every writer redacts the same things.
 */
const SENSITIVE_KEY_SOURCE =
  'password|passwd|pwd|secret|client[_-]?secret|api[_-]?key|apikey|access[_-]?token|refresh[_-]?token|id[_-]?token|' +
  'auth[_-]?token|token|x-api-key|sasl[_-]?password|private[_-]?key|sig';
const SENSITIVE_KEY = new RegExp(`^(?:${SENSITIVE_KEY_SOURCE})$`, 'i');

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

/** A URL with its user-info password and credential query parameters replaced. */
export function redactUrl(url: string): string {
  let out = url.replace(/(\/\/[^\s:/@]+:)[^\s/@]+@/, (_m, prefix: string) => `${prefix}${MASK}@`);
  out = out.replace(/([?&])([^=&#\s]+)=([^&#\s]*)/g, (m, sep: string, key: string) =>
    isSensitiveKey(decodeURIComponentSafe(key)) ? `${sep}${key}=${MASK}` : m,
  );
  return out;
}

/** The credentials a URL carries (user-info password, credential query values), for masking. */
export function urlSecrets(url: string): string[] {
  const out: string[] = [];
  const userinfo = /\/\/([^\s:/@]+):([^\s/@]+)@/.exec(url);
  // The pair too: sent as Basic authentication, its base64 form is what a log could show.
  if (userinfo)
    out.push(userinfo[2]!, `${decodeURIComponentSafe(userinfo[1]!)}:${decodeURIComponentSafe(userinfo[2]!)}`);
  for (const m of url.matchAll(/[?&]([^=&#\s]+)=([^&#\s]+)/g)) {
    if (isSensitiveKey(decodeURIComponentSafe(m[1]!))) out.push(m[2]!, decodeURIComponentSafe(m[2]!));
  }
  return out;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * A copy of a JSON value with every credential field's value replaced (`{"password": "x"}`), found
 * by key, so the document stays valid JSON (a text pattern could cut an object in half).
 */
export function redactJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactJson);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const sensitive = isSensitiveKey(k) || isSensitiveHeader(k);
      out[k] = sensitive && (typeof v === 'string' || typeof v === 'number') ? MASK : redactJson(v);
    }
    return out;
  }
  return value;
}

interface Pattern {
  re: RegExp;
  replace: (...groups: string[]) => string;
  /**
   * Literals one of which every match contains. Most evidence has none of them, and looking for a
   * literal is far cheaper than running the expression, so they decide whether it runs at all.
   * (Chosen to start with characters that are rare in ordinary text, which keeps the search fast.)
   */
  hints: string[];
}

/**
 * Credential shapes removed from written text even when nobody registered them as secrets:
 * evidence and recordings are committed to the repository, so a token an earlier step printed
 * must not ride along. Each keeps what identifies the field (the header or key name) and replaces
 * only the value. A value that opens an object or array (`"token": {`) is left alone, so JSON
 * stays JSON.
 */
const PATTERNS: Pattern[] = [
  {
    re: /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g,
    hints: ['PRIVATE KEY-----'],
    replace: (_m, kind) => `-----BEGIN ${kind}PRIVATE KEY-----${MASK}-----END ${kind}PRIVATE KEY-----`,
  },
  {
    re: /\b(gh[pousr]_)[A-Za-z0-9]{30,255}\b/g,
    hints: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    replace: (_m, prefix) => `${prefix}${MASK}`,
  },
  {
    re: /\b(github_pat_)[A-Za-z0-9_]{20,255}\b/g,
    hints: ['_pat_'],
    replace: (_m, prefix) => `${prefix}${MASK}`,
  },
  { re: /\b(xox[abprs]-)[A-Za-z0-9-]{10,255}/g, hints: ['xox'], replace: (_m, prefix) => `${prefix}${MASK}` },
  { re: /\bAKIA[0-9A-Z]{16}\b/g, hints: ['AKIA'], replace: () => `AKIA${MASK}` },
  {
    re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
    hints: ['yJ'],
    replace: () => MASK,
  },
  // Authorization: Bearer abc / "authorization": "Basic abc" / authorization=token abc
  {
    re: /((?:proxy-)?authorization["']?\s*[:=]\s*["']?)((?:bearer|basic|token|digest|negotiate)\s+)?[^\s"',;}{[]+/gi,
    hints: ['uthorization', 'UTHORIZATION'],
    replace: (_m, key, scheme = '') => `${key}${scheme}${MASK}`,
  },
  // password=..., "client_secret": "...", api-key: ...
  {
    re: new RegExp(
      `(?<![A-Za-z0-9_-])((?:${SENSITIVE_KEY_SOURCE})["']?\\s*[:=]\\s*)("[^"\\n]*"|'[^'\\n]*'|[^\\s"',;}&{[]+)`,
      'gi',
    ),
    hints: [
      'assw',
      'ASSW',
      'pwd',
      'Pwd',
      'PWD',
      'ecret',
      'ECRET',
      'key',
      'Key',
      'KEY',
      'ken',
      'KEN',
      'sig=',
      'sig"',
      'sig:',
      'SIG=',
    ],
    replace: (_m, key, value) =>
      `${key}${value.startsWith('"') ? `"${MASK}"` : value.startsWith("'") ? `'${MASK}'` : MASK}`,
  },
  // https://user:password@host (anchored on the literal `//`, which keeps the scan fast)
  { re: /(\/\/[^\s:/@]+:)[^\s/@]+@/g, hints: ['//'], replace: (_m, prefix) => `${prefix}${MASK}@` },
];

/**
 * Removes registered secrets and credential-shaped values. Idempotent (scrubbing scrubbed text
 * changes nothing), so text can be scanned again when a chunk boundary is revisited.
 */
export function scrubText(text: string, secrets: Redactor = redactor): string {
  let out = secrets.redact(text);
  for (const p of PATTERNS) {
    if (!p.hints.some((h) => out.includes(h))) continue;
    out = out.replace(p.re, (...args: unknown[]) =>
      p.replace(
        ...args.filter((a): a is string => typeof a === 'string' || a === undefined).map((a) => a ?? ''),
      ),
    );
  }
  return out;
}

/** How many values a scrub replaced (masks in the output that were not in the input). */
export function countMasks(text: string): number {
  let n = 0;
  for (let i = text.indexOf(MASK); i !== -1; i = text.indexOf(MASK, i + MASK.length)) n++;
  return n;
}
