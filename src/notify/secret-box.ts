/**
 * Encryption of channel secrets at rest (issue 11): AES-256-GCM (NIST SP 800-38D) with a 96-bit
 * random IV per value and a key derived from the session secret with HKDF-SHA256 (RFC 5869,
 * info "netwatch channel secrets v1"). Sealed form: `v1.<iv>.<tag>.<ciphertext>` (base64url).
 * Changing the session secret makes stored secrets unreadable: {@link SecretBox.open} throws then,
 * and the channel's deliveries fail with a message saying to enter the secrets again.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** Thrown when a sealed value cannot be opened (wrong key or damaged). */
export class SecretUnreadableError extends Error {
  constructor() {
    super('The channel secret cannot be decrypted (was the session secret changed?); enter it again.');
  }
}

/** Seals and opens JSON-able values. */
export interface SecretBox {
  seal(value: Record<string, string>): string;
  /** @throws {SecretUnreadableError} */
  open(sealed: string): Record<string, string>;
}

/** A box keyed from `sessionSecret` (any length ≥ 1). */
export function secretBox(sessionSecret: string): SecretBox {
  const key = Buffer.from(hkdfSync('sha256', sessionSecret, 'netwatch', 'netwatch channel secrets v1', 32));
  return {
    seal(value) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(JSON.stringify(value), 'utf8'), c.final()]);
      return ['v1', iv.toString('base64url'), c.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed) {
      const [v, iv, tag, body] = sealed.split('.');
      if (v !== 'v1' || !iv || !tag || body === undefined) throw new SecretUnreadableError();
      try {
        const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        d.setAuthTag(Buffer.from(tag, 'base64url'));
        const plain = Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8');
        return JSON.parse(plain) as Record<string, string>;
      } catch {
        throw new SecretUnreadableError();
      }
    },
  };
}
