/** Plain-language hints for the errors that stop NetWatch from starting (logged with the error). */
import type { Config } from './config.js';

/**
 * A one-line hint for a start-up error, or null when there is nothing useful to add.
 * Codes: mysql2 server errors (ER_*), Node's socket errors (ECONNREFUSED, EADDRINUSE, …).
 */
export function startupHint(err: unknown, config: Config): string | null {
  const code = (err as { code?: string } | null)?.code;
  const db = config.mysql;
  switch (code) {
    case 'ER_BAD_DB_ERROR':
      return `database "${db?.database}" does not exist on ${db?.host}:${db?.port}: create it (CREATE DATABASE \`${db?.database}\` CHARACTER SET utf8mb4) and start again`;
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_DBACCESS_DENIED_ERROR':
      return `MySQL refused user "${db?.user}": check MYSQL_USER / MYSQL_PASSWORD and the user's grants on "${db?.database}"`;
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
      return db ? `cannot reach MySQL at ${db.host}:${db.port}: is it running, and are MYSQL_HOST / MYSQL_PORT right?` : null;
    case 'EADDRINUSE':
      return `${config.host}:${config.port} is already in use: stop the other program or set PORT`;
    case 'EACCES':
      return `not allowed to listen on ${config.host}:${config.port} (ports below 1024 need privileges) or to write ${config.dataDir}`;
    case 'STORE_IN_USE':
    case 'NODE_NAME_IN_USE':
      return (err as Error).message;
    case 'SQLITE_CANTOPEN':
      return `cannot open ${config.dataDir}/netwatch.db: check NETWATCH_DATA_DIR and its permissions`;
    default:
      return null;
  }
}
