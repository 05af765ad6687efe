/**
 * Runs the built NetWatch (`node dist/src/main.js`) as a child process on a free loopback port,
 * collecting its JSON log lines. `npm test` builds first; run `npm run build` before running a
 * single test file that uses this.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { waitFor } from './wait.js';

const MAIN = join(import.meta.dirname, '..', '..', 'dist', 'src', 'main.js');

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const s = net.createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A started NetWatch process. */
export interface ServerProcess {
  child: ChildProcess;
  url: string;
  logs: Record<string, unknown>[];
  stderr: () => string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** How to start the process. */
export interface StartOptions {
  /** A command that runs NetWatch, e.g. `['prlimit', '--nofile=256', '--']` (it must exec node in place). */
  wrap?: string[];
  /** Ready once /api/health answers at all (any status), not only with 200 (default false). */
  anyHealth?: boolean;
  /** The loopback port to listen on (default: a free one), e.g. to restart on the same one. */
  port?: number;
}

/**
 * Starts NetWatch with `env` (PORT and HOST are set here) and waits until /api/health answers.
 * @throws when the process exits first, with its stderr and log lines in the message
 */
export async function startServer(env: Record<string, string>, opts: StartOptions = {}): Promise<ServerProcess> {
  if (!existsSync(MAIN)) throw new Error('dist/src/main.js is missing: run `npm run build` first');
  const port = opts.port ?? (await freePort());
  const [cmd, ...args] = [...(opts.wrap ?? []), process.execPath, MAIN];
  const child = spawn(cmd!, args, {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let err = '';
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        logs.push(JSON.parse(line));
      } catch {
        logs.push({ raw: line });
      }
    }
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  // fail at once when it exits before it is healthy (after its output is read: 'close', not 'exit')
  let gone = false;
  const exited = once(child, 'close').then(() => {
    gone = true;
    throw new Error(`server exited ${child.exitCode}: ${err}${logs.map((l) => JSON.stringify(l)).join('\n')}`);
  });
  const ready = async () => {
    if (gone) return true;
    const res = await fetch(`${url}/api/health`);
    return opts.anyHealth || res.ok;
  };
  await Promise.race([exited, waitFor(ready, 20_000, 'server health')]);
  return {
    child,
    url,
    logs,
    stderr: () => err,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode; // already gone
      const exited = once(child, 'exit');
      child.kill(signal);
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}
