import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleHash, canonicalJson, keyIdOf, type Bundle, type SignedBundle } from '../lib/constitution.js';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicPem: string;
  keyId: string;
}

/** Loads the Ed25519 key from `dir`, making one on first start (it never leaves the state folder). */
export function loadOrCreateKey(dir: string): SigningKey {
  const path = join(dir, 'constitution-ed25519.pem');
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    // wx: two services starting at once must not overwrite each other's key.
    try {
      writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const privateKey = createPrivateKey(readFileSync(path, 'utf8'));
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyIdOf(publicKey),
  };
}

export function signBundle(bundle: Bundle, key: SigningKey): SignedBundle {
  const bytes = Buffer.from(canonicalJson(bundle), 'utf8');
  return {
    tenant: bundle.tenant,
    version: bundle.version,
    hash: bundleHash(bundle),
    bundle,
    signature: {
      algorithm: 'Ed25519',
      key_id: key.keyId,
      value: sign(null, bytes, key.privateKey).toString('base64'),
    },
    public_key: key.publicPem,
  };
}
