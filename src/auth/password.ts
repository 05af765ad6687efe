/**
 * Password hashing with node:crypto scrypt (RFC 7914). Stored form:
 * `scrypt$<N>$<r>$<p>$<salt base64url>$<hash base64url>`, so parameters can be raised later.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const N = 16384;
const R = 8;
const P = 1;
const KEYLEN = 64;

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs scrypt one derivation at a time: scrypt and the prober's getaddrinfo(3) share libuv's
 * small thread pool, so a login flood must not starve name resolution (probes would time out).
 */
function derive(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  const run = () => new Promise<Buffer>((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEYLEN, { ...opts, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))));
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}

/**
 * The stored hash of a user who has no usable password yet (created by a configuration import):
 * no password verifies against it, as a locked account's `!` in shadow(5). Such a user cannot log
 * in until an admin sets a password, and does not count as an admin who can log in.
 */
export const UNUSABLE_PASSWORD_HASH = '!';

/** Hashes a password with a fresh 16-byte salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Checks a password against a stored hash in constant time; false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) {
    // the same work as a real check, so a locked or malformed account answers in the same time
    await derive(password, randomBytes(16), { N, r: R, p: P });
    return false;
  }
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash of a random password, verified against when the username is unknown (same work, same timing). */
export const DUMMY_HASH_PROMISE = hashPassword(randomBytes(16).toString('hex'));
