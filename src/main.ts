/**
 * The NetWatch process: read the config once, start, and stop cleanly on SIGTERM/SIGINT
 * (stop probing, flush the writer, close the database, exit 0 within 10 s).
 */
import { ConfigError, loadConfig } from './config.js';
import { makeLoggers } from './log.js';
import { startNetWatch } from './server.js';
import { startupHint } from './startup-errors.js';

let config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) {
    for (const p of err.problems) process.stderr.write(`netwatch: config: ${p}\n`);
    process.exit(1);
  }
  throw err;
}
// readable lines on a terminal, JSON lines when piped (issue 16 §6)
const logs = makeLoggers(config, process.stdout.isTTY === true);
try {
  const running = await startNetWatch(config, logs);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logs.core.info({ signal }, 'shutting down');
    const hard = setTimeout(() => {
      logs.core.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, 10_000);
    hard.unref();
    running.stop(9000).then(
      () => {
        logs.core.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logs.core.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
} catch (err) {
  const hint = startupHint(err, config);
  logs.core.fatal({ err, ...(hint && { hint }) }, hint ? `could not start: ${hint}` : 'could not start');
  process.exit(1);
}
