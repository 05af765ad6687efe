/**
 * Descriptor census of another process for the soak (issue 9 §6): every entry of /proc/<pid>/fd,
 * and for each socket its TCP peer (socket inode → remote address:port) from the kernel's socket
 * tables through `ss` (sock_diag, the same data as /proc/net/tcp{,6}; reading those files walks
 * every TIME_WAIT entry, ~1 s with 2,000 probes/s, while sock_diag leaves them out in the kernel).
 * Lets the soak tell the sockets of the steady probe load (many in flight at any moment) from the
 * ones to a deleted wave's own loopback address, and count what is left ("quiet" descriptors)
 * exactly instead of as a noisy total.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';

/** A TCP socket's peer. `addr` is dotted IPv4 (IPv4-mapped IPv6 is unmapped) or IPv6; `state` as ss prints it. */
export interface Peer {
  addr: string;
  port: number;
  localPort: number;
  state: string;
}

/** One census. Counts are descriptors. */
export interface Census {
  /** Every open descriptor (the same as `process_open_fds`). */
  total: number;
  /** Sockets in no TCP table (a closed socket still held, or a UDP/Unix socket). */
  untabled: number;
  /** TCP socket descriptors by the class `classify` gave their peer (`null` → "other"). */
  byClass: Record<string, number>;
  /** Descriptors that are neither a classified socket: total − Σ byClass except "other". */
  quiet: number;
}

/** "127.0.0.1:80", "[::ffff:127.0.0.1]:80", "[::1]:80" → address (IPv4-mapped unmapped) and port. */
function endpoint(text: string): { addr: string; port: number } {
  const i = text.lastIndexOf(':');
  const addr = text
    .slice(0, i)
    .replace(/^\[|\]$/g, '')
    .replace(/^::ffff:/i, '');
  return { addr, port: Number(text.slice(i + 1)) };
}

/** inode → peer for every TCP socket (IPv4 and IPv6) not in TIME_WAIT, machine-wide. */
export function tcpPeers(): Map<string, Peer> {
  const out = new Map<string, Peer>();
  const text = execFileSync('ss', ['-tanHe', 'exclude', 'time-wait'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    const ino = f.find((x) => x.startsWith('ino:'))?.slice(4);
    if (!ino || ino === '0' || f.length < 5) continue;
    out.set(ino, { ...endpoint(f[4]!), localPort: endpoint(f[3]!).port, state: f[0]! });
  }
  return out;
}

/**
 * Counts `pid`'s descriptors; `classify` names a TCP peer's class (e.g. "steady", "wave") or
 * returns null. The descriptors are listed first and the socket tables read after; a socket in no
 * table is counted only if the same descriptor still holds it afterwards (else it closed meanwhile).
 */
export function census(pid: number, classify: (p: Peer) => string | null): Census {
  const fds: [string, string][] = [];
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      fds.push([fd, readlinkSync(`/proc/${pid}/fd/${fd}`)]);
    } catch {
      // closed while listed
    }
  }
  const peers = tcpPeers();
  const byClass: Record<string, number> = {};
  let total = 0;
  let untabled = 0;
  let classified = 0;
  for (const [fd, link] of fds) {
    const m = /^socket:\[(\d+)\]$/.exec(link);
    const peer = m && peers.get(m[1]!);
    if (m && !peer) {
      let now = '';
      try {
        now = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        // closed meanwhile
      }
      if (now !== link) continue;
      untabled++;
    }
    total++;
    if (!peer) continue;
    const cls = classify(peer) ?? 'other';
    byClass[cls] = (byClass[cls] ?? 0) + 1;
    if (cls !== 'other') classified++;
  }
  return { total, untabled, byClass, quiet: total - classified };
}

/** Median of a non-empty list. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
