/** Real loopback peers for probe tests. Traffic goes only to 127.0.0.1 and ::1. */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { once } from 'node:events';

/** A listening TCP server on loopback that accepts and then does `onConn`. */
export async function listener(host = '127.0.0.1', onConn: (s: net.Socket) => void = (s) => s.on('error', () => undefined)) {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((s) => {
    accepted++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    onConn(s);
  });
  server.listen(0, host);
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    /** Connections accepted so far. */
    accepted: () => accepted,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A loopback port with nothing listening (bound, then released). */
export async function closedPort(host = '127.0.0.1'): Promise<number> {
  const server = net.createServer();
  server.listen(0, host);
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/**
 * A listener with backlog 0 that never accepts, its queue filled first, so a further SYN gets
 * no answer (Linux drops it while the accept queue is full). Runs in python3, since Node's
 * servers always accept. @param host a loopback address (default 127.0.0.1)
 */
export async function blackhole(host = '127.0.0.1'): Promise<{ port: number; close(): Promise<void> }> {
  const child: ChildProcess = spawn(
    'python3',
    [
      '-c',
      [
        'import socket, sys, time',
        `host = ${JSON.stringify(host)}`,
        's = socket.socket(); s.bind((host, 0)); s.listen(0)',
        'port = s.getsockname()[1]',
        'fill = []',
        'for _ in range(3):',
        '    c = socket.socket(); c.setblocking(False)',
        '    try: c.connect((host, port))',
        '    except BlockingIOError: pass',
        '    fill.append(c)',
        'time.sleep(0.3)',
        'print(port, flush=True)',
        'sys.stdin.read()',
      ].join('\n'),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  return {
    port: Number(chunk.toString().trim()),
    async close() {
      child.stdin!.end();
      child.kill();
      await once(child, 'exit').catch(() => undefined);
    },
  };
}

/** True when this machine can listen on ::1. */
export async function hasIPv6(): Promise<boolean> {
  const server = net.createServer();
  try {
    server.listen(0, '::1');
    await once(server, 'listening');
    await new Promise<void>((r) => server.close(() => r()));
    return true;
  } catch {
    return false;
  }
}
