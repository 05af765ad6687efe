/**
 * Vitest global setup: one private MariaDB for the whole run whose server `sql_mode` is the hostile
 * one from issue "Security" §1 (`NO_BACKSLASH_ESCAPES,ANSI_QUOTES,STRICT_ALL_TABLES,ONLY_FULL_GROUP_BY`).
 * Its URL reaches the test workers as `inject('strictMysqlUrl')`, and tests/helpers/stores.ts
 * then runs every store suite once more against it ('mysql-strict').
 * Under CI (CI=true) a missing MariaDB server is an error, so the suite is never skipped silently.
 */
import type { TestProject } from 'vitest/node';
import { privateMariadbAvailable, startPrivateMariadb, type PrivateMariadb } from './helpers/private-mariadb.js';

/** The server-wide sql_mode of the strict private server. */
export const HOSTILE_SQL_MODE = 'NO_BACKSLASH_ESCAPES,ANSI_QUOTES,STRICT_ALL_TABLES,ONLY_FULL_GROUP_BY';

let server: PrivateMariadb | null = null;

export async function setup(project: TestProject): Promise<void> {
  project.provide('strictMysqlUrl', null);
  if (!privateMariadbAvailable()) {
    if (process.env.CI === 'true') throw new Error('CI needs the MariaDB server (mariadb-install-db, mariadbd) for the strict-sql_mode store suite');
    console.warn('mariadbd not found: the strict sql_mode store suite is skipped');
    return;
  }
  server = await startPrivateMariadb([`--sql-mode=${HOSTILE_SQL_MODE}`, '--max-connections=400']);
  project.provide('strictMysqlUrl', server.url);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the strict private MariaDB (root, no password), or null when this run has none. */
    strictMysqlUrl: string | null;
  }
}
