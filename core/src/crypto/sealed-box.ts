import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Format tag of what {@link seal} makes: a new format gets a new tag, old ones still open. */
const VERSION = 'v1';

/**
 * Encrypts a secret at rest with AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>` (base64url parts).
 * `aad` binds the ciphertext to its owner (an agent id, a tenant and plugin), so a value copied
 * to another row does not open there.
 *
 * @example
 * const sealed = seal(keys.pluginSettings, JSON.stringify(secrets), `${tenantId}/${plugin}`);
 */
export function seal(key: Buffer, plaintext: string, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join(
    '.',
  );
}

/** Decrypts what {@link seal} made with the same key and `aad`; throws on tampering or another key. */
export function open(key: Buffer, sealed: string, aad: string): string {
  const [version, iv, tag, ct] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || ct === undefined) throw new Error('unknown sealed-secret format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
}
