import { parse } from 'yaml';

interface KubeconfigUser {
  token?: unknown;
  password?: unknown;
  'client-key-data'?: unknown;
  'client-certificate-data'?: unknown;
  'auth-provider'?: { config?: Record<string, unknown> };
  exec?: { env?: { name?: unknown; value?: unknown }[] };
}

const SECRET_NAME = /token|secret|password|passwd|key|credential/i;

/**
 * The credentials inside a kubeconfig, each as it could show up on its own in some output: a bare
 * bearer token or password, a client key or certificate (its base64 data, and each line of the PEM
 * it decodes to), auth-provider tokens and secret-looking exec environment values. Masking the
 * whole kubeconfig and its lines is not enough: `token: abc` masks that line, not `abc` elsewhere.
 */
export function kubeconfigCredentials(content: string): string[] {
  let doc: { users?: { user?: KubeconfigUser }[] } | null;
  try {
    doc = parse(content, { maxAliasCount: 100 }) as typeof doc;
  } catch {
    return [];
  }
  const out = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v === 'string' && v.trim().length >= 8) out.add(v.trim());
  };
  for (const entry of Array.isArray(doc?.users) ? doc.users : []) {
    const user = entry?.user;
    if (!user || typeof user !== 'object') continue;
    add(user.token);
    add(user.password);
    for (const data of [user['client-key-data'], user['client-certificate-data']]) {
      if (typeof data !== 'string') continue;
      add(data);
      for (const line of Buffer.from(data, 'base64').toString('utf8').split(/\r?\n/)) {
        if (!line.startsWith('-----')) add(line);
      }
    }
    for (const [k, v] of Object.entries(user['auth-provider']?.config ?? {})) if (SECRET_NAME.test(k)) add(v);
    for (const e of user.exec?.env ?? []) {
      if (typeof e?.name === 'string' && SECRET_NAME.test(e.name)) add(e.value);
    }
  }
  return [...out];
}
