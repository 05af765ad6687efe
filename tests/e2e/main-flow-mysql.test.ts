/** The same browser flow against MariaDB, when NETWATCH_TEST_MYSQL_URL is set (skipped otherwise). */
import { describe, it } from 'vitest';
import { defineMainFlow } from './flow.ts';
import { freshMysqlDatabase, mysqlUrl } from './harness.ts';

const url = mysqlUrl();
if (url) {
  defineMainFlow({
    label: 'mariadb',
    env: async () => {
      const db = await freshMysqlDatabase(url);
      return { env: db.env, cleanup: db.drop };
    },
  });
} else {
  describe('main flow (mariadb)', () => {
    it.skip('needs NETWATCH_TEST_MYSQL_URL', () => {});
  });
}
