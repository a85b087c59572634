import { createHash, createPublicKey, verify } from 'node:crypto';
import { canonicalJson } from './normalize.js';

/** A signed bundle as the constitution service serves it. */
export interface SignedBundle {
  tenant?: string;
  version?: number;
  hash?: string;
  bundle: unknown;
  signature: { algorithm: string; key_id?: string; value: string };
  public_key?: string;
}

export interface SignatureCheck {
  algorithm: string;
  keyId: string | null;
  /** SHA-256 of the canonical bundle equals the `hash` the service states. */
  hashMatches: boolean;
  /** `key_id` equals the first 16 hex digits of SHA-256(SPKI DER of the public key). */
  keyIdMatches: boolean;
  /** The public key the service published separately (/v1/keys) is the one that signed, when it was checked. */
  keyPublished: boolean | null;
  signatureValid: boolean;
  verified: boolean;
  problems: string[];
}

export function isSignedBundle(v: unknown): v is SignedBundle {
  if (!v || typeof v !== 'object') return false;
  const s = (v as { signature?: unknown }).signature;
  return (
    'bundle' in v && !!s && typeof s === 'object' && typeof (s as { value?: unknown }).value === 'string'
  );
}

function keyIdOf(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

/**
 * Verifies an Ed25519-signed bundle: the signature over the canonical JSON of `bundle` (keys sorted,
 * no whitespace, UTF-8), the stated hash of the same bytes, and the key id of the public key. When the
 * service also publishes its keys, the signing key must be one of them (a bundle carrying its own key
 * proves nothing by itself).
 */
export function verifyBundle(b: SignedBundle, publishedKeys?: string[]): SignatureCheck {
  const problems: string[] = [];
  const bytes = Buffer.from(canonicalJson(b.bundle), 'utf8');
  const hash = createHash('sha256').update(bytes).digest('hex');
  const hashMatches = b.hash === undefined ? false : b.hash === hash;
  if (!hashMatches)
    problems.push(
      b.hash === undefined
        ? 'the bundle states no hash'
        : `stated hash ${b.hash} differs from the bundle's SHA-256 ${hash}`,
    );
  let signatureValid = false;
  let keyIdMatches = false;
  const algorithm = b.signature.algorithm;
  if (algorithm !== 'Ed25519') problems.push(`signature algorithm ${algorithm} is not Ed25519`);
  if (!b.public_key) problems.push('no public key to verify with');
  else {
    try {
      keyIdMatches = b.signature.key_id === keyIdOf(b.public_key);
      if (!keyIdMatches)
        problems.push(
          `key id ${String(b.signature.key_id)} is not the public key's (${keyIdOf(b.public_key)})`,
        );
      signatureValid =
        algorithm === 'Ed25519' &&
        verify(null, bytes, createPublicKey(b.public_key), Buffer.from(b.signature.value, 'base64'));
      if (!signatureValid && algorithm === 'Ed25519')
        problems.push('the Ed25519 signature does not verify against the bundle');
    } catch (err) {
      problems.push(`the public key cannot be read: ${(err as Error).message}`);
    }
  }
  let keyPublished: boolean | null = null;
  if (publishedKeys && b.public_key) {
    const norm = (k: string) => k.replace(/\s+/g, '');
    keyPublished = publishedKeys.some((k) => norm(k) === norm(b.public_key!));
    if (!keyPublished) problems.push('the signing key is not among the keys the service publishes');
  }
  return {
    algorithm,
    keyId: b.signature.key_id ?? null,
    hashMatches,
    keyIdMatches,
    keyPublished,
    signatureValid,
    verified: problems.length === 0,
    problems,
  };
}
