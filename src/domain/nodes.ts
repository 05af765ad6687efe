/**
 * Probe nodes (issue 10), rules shared by server and UI: when a node counts as up, and which live
 * node of a location probes a target (rendezvous hashing). Times are UTC epoch ms on the
 * database's clock.
 *
 * Assignment: for a (target, location) pair, every live node of the location gets the score
 * hash(target id, location, node name); the highest score probes it. Each node computes this from
 * the same `nodes` snapshot, so they agree without talking to each other, and when a node joins or
 * leaves only the pairs it wins or held move (about 1/n of them): rendezvous (highest random
 * weight) hashing, Thaler & Ravishankar 1998. See src/nodes/README.md for the failure cases.
 */

/** A node is down this long after its last heartbeat (issue 10). */
export const DEAD_AFTER_MS = 10_000;
/** How often a node writes its heartbeat (issue 10). */
export const HEARTBEAT_EVERY_MS = 2_000;

/**
 * How often a node reads the `nodes` snapshot and the targets watermark, ms. With
 * {@link NODE_FLUSH_EVERY_MS} it bounds what a crash (kill -9) loses per target: a slot is lost
 * when its result was still unstored at the crash (≤ probe time + flush period + commit) or it
 * falls before the survivor's takeover (≤ poll period + reconcile). Both windows together stay
 * well under the shortest interval (1 s), so at most one slot per target is lost (issue 10,
 * "During a handover"; src/nodes/README.md).
 */
export const POLL_EVERY_MS = 250;

/**
 * The writer's flush period on a node that shares its database (MySQL), ms, instead of 1 s: results
 * die with a crashed process while they wait, so they wait at most this long (see
 * {@link POLL_EVERY_MS}). At thousands of probes a second the 1,000-row batch flushes sooner anyway.
 */
export const NODE_FLUSH_EVERY_MS = 100;

/** A `nodes` row as the API returns it. Times: database-clock UTC epoch ms. */
export interface NodeRow {
  name: string;
  location: string;
  version: string;
  /** `mysql` or `sqlite` (SQLite: single node). */
  store: string;
  startedAt: number;
  /** From when the node counts in the assignment (start + join delay). */
  activeFrom: number;
  heartbeatAt: number;
  /** A clean stop's hand-over moment; null while running. */
  stoppedAt: number | null;
  targetsAssigned: number;
  lagP99Ms: number | null;
  writerBuffered: number;
  writerDropped: number;
  /**
   * The server no longer lists the connection this node's last heartbeat came through: the process
   * has exited (MySQL only, judged when the reader is on the same server as the same user).
   */
  connectionGone: boolean;
}

/** The fields liveness reads. */
export type NodeTimes = Pick<NodeRow, 'activeFrom' | 'heartbeatAt' | 'stoppedAt'> & { connectionGone?: boolean };

/**
 * Whether the node is up at `at`: heartbeat within {@link DEAD_AFTER_MS}, not stopped, and its
 * database connection still there (when that can be judged).
 */
export function isUp(n: NodeTimes, at: number): boolean {
  return !n.connectionGone && at - n.heartbeatAt < DEAD_AFTER_MS && (n.stoppedAt === null || n.stoppedAt > at);
}

/** Whether the node takes part in the assignment at `at`: up, and past its join delay. */
export function isMember(n: NodeTimes, at: number): boolean {
  return isUp(n, at) && n.activeFrom <= at;
}

/** 32-bit FNV-1a of a string followed by murmur3's finaliser (good avalanche, no dependency). */
export function score(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The node that probes `targetId` from `location` among `members` (names of the location's member
 * nodes), or null when there is none. Ties (1 in 2³²) go to the smaller name.
 */
export function ownerOf(targetId: number, location: string, members: readonly string[]): string | null {
  let best: string | null = null;
  let bestScore = -1;
  for (const name of members) {
    const s = score(`${targetId}|${location}|${name}`);
    if (s > bestScore || (s === bestScore && best !== null && name < best)) {
      best = name;
      bestScore = s;
    }
  }
  return best;
}

/**
 * The earliest moment after `at` when membership changes by a scheduled time (a join delay ending,
 * a clean stop's hand-over), or null. Deaths are seen by polling.
 */
export function nextMembershipChange(nodes: readonly NodeTimes[], at: number): number | null {
  let next: number | null = null;
  for (const n of nodes) {
    for (const t of [n.activeFrom, n.stoppedAt]) if (t !== null && t > at && (next === null || t < next)) next = t;
  }
  return next;
}
