/** A loopback peer that answers late. Traffic goes only to 127.0.0.1. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';

/**
 * A listener whose accept queue is full at first, so the kernel drops the first SYN, and that
 * starts accepting after `openAfterMs`: a later SYN retransmission (Linux: initial RTO 1 s) then
 * completes the handshake. Runs in python3, since Node's servers always accept.
 * @returns the port, and close()
 */
export async function gatedPeer(openAfterMs: number): Promise<{ port: number; close(): Promise<void> }> {
  const child = spawn(
    'python3',
    [
      '-c',
      [
        'import socket, sys, time, threading',
        's = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(0)',
        'port = s.getsockname()[1]',
        'fill = []',
        'for _ in range(3):',
        '    c = socket.socket(); c.setblocking(False)',
        '    try: c.connect(("127.0.0.1", port))',
        '    except BlockingIOError: pass',
        '    fill.append(c)',
        'time.sleep(0.3)',
        'print(port, flush=True)',
        'sys.stdin.readline()',
        `time.sleep(${openAfterMs / 1000})`,
        'kept = []',
        'def serve():',
        '    while True:',
        '        kept.append(s.accept()[0])',
        'threading.Thread(target=serve, daemon=True).start()',
        'sys.stdin.read()',
      ].join('\n'),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  // the clock starts now: the caller's probe follows at once
  child.stdin!.write('go\n');
  return {
    port: Number(chunk.toString().trim()),
    async close() {
      child.stdin!.end();
      child.kill();
      await once(child, 'exit').catch(() => undefined);
    },
  };
}
