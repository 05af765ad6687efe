/**
 * A private wire for hub-to-spoke tests (issue 8): two network namespaces this helper creates and
 * removes, joined by a veth pair. Addresses exist only inside them (10.77.0.0/24 here):
 * - hub (`nwhub-<id>`), veth end `nwh<id>`: 10.77.0.1, 10.77.0.2, 10.77.0.3;
 * - spoke (`nwspk-<id>`), veth end `nws<id>`: 10.77.0.100 (listeners) and 10.77.0.101 (nothing
 *   listens: the spoke's kernel answers a SYN with RST).
 * The hub resolves `spoke.test` through /etc/netns/<hub>/hosts, which `ip netns exec` bind-mounts
 * over /etc/hosts (ip-netns(8)): 10.77.0.101 first, then 10.77.0.100 — a real getaddrinfo(3)
 * answer with two addresses, the first of which refuses; and `dual.test` as fd77::100 (on no
 * interface: dialling it could only fail) and 10.77.0.100; `slow.test` as 10.77.0.102 (a spoke
 * address whose listener never accepts and has its queue full, so SYNs get no answer) and 10.77.0.100.
 * Nothing is sent outside the namespaces.
 * tcpdump captures on the spoke's veth end (so timestamps are when the SYN reached the spoke,
 * the same kernel clock NetWatch reads).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One TCP packet from the capture. `t`: capture time, UTC epoch ms (µs precision). */
export interface Packet {
  t: number;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  /** tcpdump's flags text, e.g. `S`, `S.`, `.`, `F.`, `R`, `R.`. */
  flags: string;
}

/** The namespaces of one test file. */
export interface Wire {
  hub: string;
  spoke: string;
  hubDev: string;
  spokeDev: string;
  /** Runs `argv` in the hub namespace (throws on failure). */
  inHub(argv: string[]): string;
  /** Starts listeners on 10.77.0.100 at `ports` in the spoke (they wait for the hub's FIN, then close). */
  listen(ports: number[]): Promise<void>;
  /** A listener at 10.77.0.102:`port` in the spoke that drops further SYNs (backlog 0, queue filled; python3). */
  blackhole(port: number): Promise<void>;
  /** Starts tcpdump on the spoke's veth end (TCP only). */
  startCapture(): Promise<void>;
  /** Stops tcpdump and returns every TCP packet captured. */
  stopCapture(): Promise<Packet[]>;
  /** Removes the namespaces, the hosts file and every process started. */
  remove(): void;
}

const LISTENER = `const net = require('node:net');
for (const port of process.argv.slice(1).map(Number)) {
  net.createServer((s) => { s.on('error', () => {}); s.resume(); s.on('end', () => s.end()); }).listen(port, '10.77.0.100');
}
console.log('ready');`;

let created = 0;

/**
 * Creates the namespaces, or says why it cannot (no root, no `ip netns`, no tcpdump).
 * @returns the wire, or `{ why }` with the reason to skip
 */
export function createWire(): Wire | { why: string } {
  // unique per call (several test files may run in one process); interface names stay within 15 characters
  const id = `${process.pid % 100000}${String.fromCharCode(97 + (created++ % 26))}`;
  const hub = `nwhub-${id}`;
  const spoke = `nwspk-${id}`;
  const hubDev = `nwh${id}`;
  const spokeDev = `nws${id}`;
  const dir = mkdtempSync(join(tmpdir(), 'netwatch-wire-'));
  const procs: ChildProcess[] = [];
  let capture: ChildProcess | null = null;
  const pcap = join(dir, 'spoke.pcap');
  const run = (argv: string[]) => execFileSync(argv[0]!, argv.slice(1), { stdio: 'pipe', encoding: 'utf8' });
  const remove = () => {
    for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    spawnSync('ip', ['netns', 'del', hub]);
    spawnSync('ip', ['netns', 'del', spoke]);
    rmSync(`/etc/netns/${hub}`, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    run(['tcpdump', '--version']);
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return { why: 'tcpdump is not installed (.ci/run installs it)' };
  }
  try {
    run(['ip', 'netns', 'add', hub]);
    run(['ip', 'netns', 'add', spoke]);
    run(['ip', 'link', 'add', hubDev, 'netns', hub, 'type', 'veth', 'peer', 'name', spokeDev, 'netns', spoke]);
    const h = (...a: string[]) => run(['ip', 'netns', 'exec', hub, ...a]);
    const s = (...a: string[]) => run(['ip', 'netns', 'exec', spoke, ...a]);
    for (const a of ['10.77.0.1/24', '10.77.0.2/24', '10.77.0.3/24']) h('ip', 'addr', 'add', a, 'dev', hubDev);
    for (const a of ['10.77.0.100/24', '10.77.0.101/24', '10.77.0.102/24']) s('ip', 'addr', 'add', a, 'dev', spokeDev);
    for (const [ns, dev] of [
      [hub, hubDev],
      [spoke, spokeDev],
    ] as const) {
      run(['ip', 'netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
      run(['ip', 'netns', 'exec', ns, 'ip', 'link', 'set', dev, 'up']);
    }
    mkdirSync(`/etc/netns/${hub}`, { recursive: true });
    writeFileSync(
      `/etc/netns/${hub}/hosts`,
      '127.0.0.1 localhost\n10.77.0.101 spoke.test\n10.77.0.100 spoke.test\nfd77::100 dual.test\n10.77.0.100 dual.test\n10.77.0.102 slow.test\n10.77.0.100 slow.test\n',
    );
  } catch (err) {
    remove();
    return { why: `cannot create network namespaces and a veth pair here (${String((err as Error).message).split('\n')[0]})` };
  }
  return {
    hub,
    spoke,
    hubDev,
    spokeDev,
    inHub: (argv) => run(['ip', 'netns', 'exec', hub, ...argv]),
    async listen(ports) {
      const p = spawn('ip', ['netns', 'exec', spoke, process.execPath, '-e', LISTENER, ...ports.map(String)], { stdio: ['ignore', 'pipe', 'inherit'] });
      procs.push(p);
      await once(p.stdout!, 'data');
    },
    async blackhole(port) {
      const code = [
        'import socket, sys, time',
        `s = socket.socket(); s.bind(("10.77.0.102", ${port})); s.listen(0)`,
        'fill = []',
        'for _ in range(3):',
        '    c = socket.socket(); c.setblocking(False)',
        '    try: c.connect(("10.77.0.102", ' + port + '))',
        '    except BlockingIOError: pass',
        '    fill.append(c)',
        'time.sleep(0.3)',
        'print("ready", flush=True)',
        'sys.stdin.read()',
      ].join('\n');
      const p = spawn('ip', ['netns', 'exec', spoke, 'python3', '-c', code], { stdio: ['pipe', 'pipe', 'inherit'] });
      procs.push(p);
      await once(p.stdout!, 'data');
    },
    async startCapture() {
      capture = spawn('ip', ['netns', 'exec', spoke, 'tcpdump', '-i', spokeDev, '-n', '-U', '--immediate-mode', '-w', pcap, 'tcp'], { stdio: ['ignore', 'ignore', 'pipe'] });
      procs.push(capture);
      // tcpdump says "listening on …" on stderr once the capture is open
      await new Promise<void>((resolve, reject) => {
        let text = '';
        capture!.stderr!.on('data', (d: Buffer) => {
          text += d.toString();
          if (text.includes('listening on')) resolve();
        });
        capture!.once('exit', (code) => reject(new Error(`tcpdump exited ${code}: ${text}`)));
      });
    },
    async stopCapture() {
      if (!capture) return [];
      const gone = once(capture, 'exit');
      capture.kill('SIGINT');
      await gone;
      capture = null;
      return parseCapture(run(['tcpdump', '-r', pcap, '-n', '-tt', 'tcp']));
    },
    remove,
  };
}

const LINE = /^(\d+\.\d+) IP6? (\S+)\.(\d+) > (\S+)\.(\d+): Flags \[([^\]]+)\]/;

/** Parses `tcpdump -n -tt` lines into packets. */
export function parseCapture(text: string): Packet[] {
  const out: Packet[] = [];
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    out.push({ t: Number(m[1]) * 1000, src: m[2]!, sport: Number(m[3]), dst: m[4]!, dport: Number(m[5]), flags: m[6]! });
  }
  return out;
}
