/**
 * First users: `ROOT_USER`/`ROOT_PASSWORD` create that user at start when missing (an existing
 * user's password is left alone); with no user at all and no root user, a one-time setup token
 * is made; {@link logSetupUrl} logs it once the server listens (passwords are never logged).
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Db } from '../store/db.js';
import { countUsers, createUser, findUserByName, isUniqueViolation } from '../store/users.js';
import { hashPassword } from './password.js';

/**
 * Ensures there is a way in.
 * @returns the setup token when first-run setup is needed, else null
 */
export async function bootstrapUsers(db: Db, config: Pick<Config, 'rootUser'>, log: Logger, now: number): Promise<string | null> {
  if (config.rootUser) {
    const existing = await findUserByName(db, config.rootUser.username);
    if (existing) {
      log.info({ username: config.rootUser.username }, 'root user exists; password left unchanged');
    } else {
      try {
        await createUser(db, config.rootUser.username, await hashPassword(config.rootUser.password), now);
        log.info({ username: config.rootUser.username }, 'root user created');
      } catch (err) {
        // several nodes starting at once on one database (issue 10): another one created it first
        if (!isUniqueViolation(err)) throw err;
        log.info({ username: config.rootUser.username }, 'root user exists (created by another node just now); password left unchanged');
      }
    }
    return null;
  }
  if ((await countUsers(db)) > 0) return null;
  return randomBytes(18).toString('base64url');
}

/** The URL a person opens to reach a server listening on `host`:`port` (localhost for a wildcard). */
export function browseUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${h}:${port}`;
}

/** Logs the one-time setup URL (warn level, so it shows at the default log level). */
export function logSetupUrl(log: Logger, token: string, host: string, port: number): void {
  const setupUrl = `${browseUrl(host, port)}/setup?token=${token}`;
  log.warn({ setupToken: token, setupUrl }, 'first-run setup: no user exists; open the setup URL (on this machine, or with its address) to create the first one');
}
