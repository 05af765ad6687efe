/**
 * Personal API tokens (issue 14 §1): `nwt_` followed by 32 random bytes in base64url (256 bits).
 * Only the SHA-256 of a token is stored. A password needs a slow, salted hash (scrypt, see
 * password.ts) because people choose guessable ones; a token is 256 bits from the CSPRNG, so no
 * guess list or precomputed table can cover it and one fast, unsalted SHA-256 is enough — it also
 * lets a request find its token by an indexed lookup of the hash instead of trying every row.
 */
import { createHash, randomBytes } from 'node:crypto';

/** Prefix that marks a NetWatch token (helps secret scanners and users recognise one). */
export const TOKEN_PREFIX = 'nwt_';

/** A new random token, shown to its owner once. */
export function newToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** SHA-256 of a token, 64 lower-case hex digits: what the `api_tokens` table keeps. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
