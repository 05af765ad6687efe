/**
 * pino loggers: `core` at CORE_LOG_LEVEL, `http` at HTTP_LOG_LEVEL. Output (issue 16 §6): JSON lines
 * on stdout (piped, in a container, under systemd), or readable lines through pino-pretty when
 * stdout is a terminal, with the first-run setup URL on a line of its own.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from './config.js';

/** Fields pino-pretty leaves out on a terminal (`component` is for machines; the setup token is in the URL, printed on its own line). */
const PRETTY_IGNORE = 'pid,hostname,component,setupToken,setupUrl';

/** The readable stream for a terminal: local time, colours, the setup URL alone on its line. */
function prettyStream(): DestinationStream {
  return pretty({
    colorize: true,
    sync: true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: PRETTY_IGNORE,
    messageFormat: (log, messageKey) => {
      const msg = String(log[messageKey] ?? '');
      return typeof log.setupUrl === 'string' ? `${msg}\n\n    ${log.setupUrl}\n` : msg;
    },
  });
}

/**
 * The two loggers NetWatch writes with. Secrets are redacted by path as a second guard.
 * @param readable readable lines (pino-pretty) instead of JSON; main.ts passes `process.stdout.isTTY`
 */
export function makeLoggers(config: Pick<Config, 'coreLogLevel' | 'httpLogLevel'>, readable = false): { core: Logger; http: Logger } {
  const opts = { level: 'trace', redact: ['password', '*.password', 'ROOT_PASSWORD', 'MYSQL_PASSWORD'] };
  const root = readable ? pino(opts, prettyStream()) : pino(opts);
  return {
    core: root.child({ component: 'core' }, { level: config.coreLogLevel }),
    http: root.child({ component: 'http' }, { level: config.httpLogLevel }),
  };
}
