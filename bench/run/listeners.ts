/** Loopback listeners in a child process (bench/listeners.mjs), so accepting costs the bench process nothing. */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const here = dirname(fileURLToPath(import.meta.url));

/** One listening address and port. */
export interface Peer {
  host: string;
  port: number;
}

/**
 * Starts `addrs` × `ports` listeners on 127.0.0.2 … (loopback only); `stats()` asks the child how many it accepted and its CPU.
 */
export async function startListeners(addrs = 10, ports = 20): Promise<{ peers: Peer[]; child: ChildProcess; stats(): Promise<{ accepted: number; cpu: NodeJS.CpuUsage }> }> {
  const child = spawn(process.execPath, [join(here, '..', 'listeners.mjs'), String(addrs), String(ports)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const queue: string[] = [];
  const waiters: ((l: string) => void)[] = [];
  lines.on('line', (l) => (waiters.length ? waiters.shift()!(l) : queue.push(l)));
  const next = () => new Promise<string>((r) => (queue.length ? r(queue.shift()!) : waiters.push(r)));
  const peers = JSON.parse(await next()) as Peer[];
  if (!peers.every((p) => p.host.startsWith('127.'))) throw new Error('listeners must be on loopback');
  return {
    peers,
    child,
    async stats() {
      child.stdin!.write('count\n');
      return JSON.parse(await next());
    },
  };
}
