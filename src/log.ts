/** pino loggers: JSON lines on stdout; `core` at CORE_LOG_LEVEL, `http` at HTTP_LOG_LEVEL. */
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';

/** The two loggers NetWatch writes with. Secrets are redacted by path as a second guard. */
export function makeLoggers(config: Pick<Config, 'coreLogLevel' | 'httpLogLevel'>): { core: Logger; http: Logger } {
  const root = pino({ level: 'trace', redact: ['password', '*.password', 'ROOT_PASSWORD', 'MYSQL_PASSWORD'] });
  return {
    core: root.child({ component: 'core' }, { level: config.coreLogLevel }),
    http: root.child({ component: 'http' }, { level: config.httpLogLevel }),
  };
}
