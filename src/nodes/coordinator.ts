/**
 * This node's part in the `nodes` table (issue 10): registers at start (a duplicate live name is
 * refused), writes a heartbeat every 2 s with its figures, and every 0.25 s ({@link POLL_EVERY_MS}) reads the `nodes`
 * snapshot and a cheap `targets` watermark (row count, MAX(updated_at), SUM(id)), asking the
 * supervisor to reconcile when either changed (edits made through another node's API reach the
 * probing node within about a quarter of a second). It is the ONE place that decides which targets this node
 * probes ({@link NodeCoordinator.select}); the rule itself is in src/domain/nodes.ts.
 *
 * Timing of a hand-over: a new node counts from `active_from` (start + {@link JOIN_DELAY_MS}) and
 * a cleanly stopping node until `stopped_at` (+ {@link LEAVE_DELAY_MS}); every node sets a timer
 * for those moments (on the database clock, through the offset measured at each poll), so the old
 * and new owner switch at the same instant and the slots stay `phase + k·interval`. A node that
 * dies without stopping (kill -9, OOM, crash) is noticed at the next poll when the server no longer
 * lists its heartbeat connection (the kernel closed its sockets; same server and MySQL user only),
 * else DEAD_AFTER_MS (domain/nodes.ts) after its last heartbeat (host or network gone, Galera peers). SQLite: one node, every enabled target, no polling (the API reconciles directly).
 */
import type { Logger } from 'pino';
import { SQL } from 'sql-template-strings';
import type { Config } from '../config.js';
import { effectiveLocations } from '../domain/location-rules.js';
import { HEARTBEAT_EVERY_MS, isMember, nextMembershipChange, ownerOf, POLL_EVERY_MS, type NodeRow } from '../domain/nodes.js';
import type { Target } from '../domain/types.js';
import type { Db } from '../store/db.js';
import { activateNode, heartbeat, listNodes, markStopping, NodeNameInUseError, registerNode, type NodeFigures, type NodeIdentity, type Registration } from '../store/nodes.js';
import { packageVersion } from '../version.js';

/** A new node starts probing this long after its actors run (every other node polls within 0.25 s). */
export const JOIN_DELAY_MS = 2_000;
/**
 * A node that registers while others of its location are up does not count until its actors run
 * ({@link activateNode} then sets `active_from` to now + {@link JOIN_DELAY_MS}); until then its row
 * says this far ahead (one day), i.e. "not yet".
 */
const PENDING_MS = 86_400_000;
/** A cleanly stopping node keeps probing this long, then the others take over at that moment. */
export const LEAVE_DELAY_MS = 1_500;

/** What the coordinator reads from the rest of the node for its heartbeat. */
export type FigureSource = () => Omit<NodeFigures, 'targetsAssigned'>;

/** This node in the `nodes` table. */
export interface NodeCoordinator {
  readonly name: string;
  readonly location: string;
  /** True on SQLite: this is the only node and probes every enabled target. */
  readonly single: boolean;
  /** The enabled targets this node probes now, from the latest snapshot (none before the first). */
  select(enabled: readonly Target[]): Target[];
  /** Ids of the targets this node probes (the last {@link select}'s answer). */
  probing(): ReadonlySet<number>;
  /** Starts heartbeat and polling; `onChange` asks the supervisor to reconcile. */
  start(onChange: () => void, figures: FigureSource): void;
  /** Clean stop: leave the assignment after {@link LEAVE_DELAY_MS} (resolves then), stop the timers. */
  leave(): Promise<void>;
}

/**
 * Registers at start. After a crash the server may take a moment to drop the old process's
 * connection (which frees the name at once): a refusal is retried for about a second.
 */
async function registerFirst(db: Db, id: NodeIdentity, single: boolean): Promise<Registration> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await registerNode(db, id, single ? 0 : PENDING_MS, single);
    } catch (err) {
      if (!(err instanceof NodeNameInUseError) || attempt >= 4) throw err;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

/**
 * Registers this node and returns its coordinator (not started).
 * @throws NodeNameInUseError when a live node has the name; the driver's error when the database fails
 */
export async function joinNodes(db: Db, config: Pick<Config, 'nodeName' | 'location'>, log: Logger): Promise<NodeCoordinator> {
  const id = { name: config.nodeName, location: config.location, version: packageVersion() };
  const single = db.dialect === 'sqlite';
  let reg: Registration = await registerFirst(db, id, single);
  log.info({ node: id.name, location: id.location, store: db.dialect }, single ? 'node registered (SQLite: single node)' : 'node registered');

  let snapshot: { nodes: NodeRow[]; now: number; offset: number; readAt: number } | null = null;
  let watermark = '';
  let lastKey = '';
  let assigned = 0;
  let probing: ReadonlySet<number> = new Set();
  let lost = false;
  let timers: NodeJS.Timeout[] = [];
  let change: NodeJS.Timeout | undefined;
  let stopped = false;
  let failing = false;
  let lastBeat = 0;
  /** Whether this node's join delay has started (alone at registration: it counts at once). */
  let activated = reg.activeFrom <= reg.startedAt;
  let onChange = () => {};
  let figures: FigureSource = () => ({ lagP99Ms: null, writerBuffered: 0, writerDropped: 0 });

  /** Database-clock now: estimated from the local clock while the snapshot is fresh, frozen at the snapshot otherwise. */
  const dbNow = () => {
    if (!snapshot) return 0;
    const est = Date.now() + snapshot.offset;
    return Date.now() - snapshot.readAt < 5_000 ? est : snapshot.now;
  };
  const members = (at: number) =>
    snapshot!.nodes
      .filter((n) => n.location === id.location && isMember(n, at))
      .map((n) => n.name)
      .sort();

  const beat = async () => {
    // on a connection of its own: it lives as long as the process, so its disappearance means the
    // process exited, and it never waits behind the writer's transactions
    const ok = await heartbeat(db.forPresence(), id.name, reg.instance, { ...figures(), targetsAssigned: assigned });
    if (ok) {
      if (lost) log.info({ node: id.name }, 'node row is ours again');
      lost = false;
      return;
    }
    // the row was removed by an admin, or taken by a process that judged us dead: register afresh
    try {
      reg = await registerNode(db, id, single ? 0 : PENDING_MS, single);
      activated = false;
      log.warn({ node: id.name }, 'node row was gone; registered again');
    } catch (err) {
      if (!lost) log.error({ err, node: id.name }, 'node name taken by another process; this node stops probing');
      lost = true;
      onChange();
    }
  };

  const poll = async () => {
    // the first poll runs once the actors do (start): only now may the others hand over to us
    if (!activated && !lost) activated = await activateNode(db, id.name, reg.instance, JOIN_DELAY_MS);
    if (Date.now() - lastBeat >= HEARTBEAT_EVERY_MS - 100) {
      lastBeat = Date.now();
      await beat();
    }
    if (single) return;
    const t0 = Date.now();
    const { now, nodes } = await listNodes(db);
    const readAt = Date.now();
    snapshot = { nodes, now, offset: now - (t0 + readAt) / 2, readAt };
    const w = await db.get<{ n: number; w: number; s: number }>(SQL`SELECT COUNT(*) AS n, COALESCE(MAX(updated_at), 0) AS w, COALESCE(SUM(id), 0) AS s FROM targets`);
    const mark = `${w?.n}|${w?.w}|${w?.s}`;
    const key = members(now).join(',');
    if (mark !== watermark || key !== lastKey) {
      watermark = mark;
      lastKey = key;
      onChange();
    }
    // hand-overs at a scheduled moment happen at that moment, not at the next poll
    const next = nextMembershipChange(nodes, now);
    clearTimeout(change);
    if (next !== null) change = setTimeout(() => onChange(), Math.max(0, next - (Date.now() + snapshot.offset)) + 2);
  };

  const loop = () => {
    if (stopped) return;
    const started = Date.now();
    poll()
      .then(
        () => {
          if (failing) log.info({ node: id.name }, 'nodes: heartbeat and poll work again');
          failing = false;
        },
        (err: unknown) => {
          // once per outage, not twice a second (health and the writer say the rest)
          if (!failing) log.warn({ err, lastSnapshotAgeMs: snapshot ? Date.now() - snapshot.readAt : null }, 'nodes: heartbeat or poll failed; keeping the last assignment');
          failing = true;
        },
      )
      .finally(() => {
        if (!stopped) timers = [setTimeout(loop, Math.max(0, POLL_EVERY_MS - (Date.now() - started)))];
      });
  };

  return {
    name: id.name,
    location: id.location,
    single,
    select(enabled) {
      if (lost) return ((assigned = 0), (probing = new Set()), []);
      if (single) return ((assigned = enabled.length), (probing = new Set(enabled.map((t) => t.id))), enabled.slice());
      if (!snapshot) return ((assigned = 0), (probing = new Set()), []);
      const at = dbNow();
      const mine = members(at);
      const out = mine.includes(id.name) ? enabled.filter((t) => effectiveLocations(t.locations).includes(id.location) && ownerOf(t.id, id.location, mine) === id.name) : [];
      assigned = out.length;
      probing = new Set(out.map((t) => t.id));
      return out;
    },
    probing: () => probing,
    start(cb, source) {
      onChange = cb;
      figures = source;
      loop();
    },
    async leave() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      clearTimeout(change);
      if (single) {
        await markStopping(db, id.name, reg.instance, 0).catch(() => null);
        return;
      }
      // bounded: a database that hangs must not eat the shutdown deadline
      const timeout = new Promise<null>((r) => setTimeout(() => r(null), 2000).unref());
      const at = await Promise.race([markStopping(db, id.name, reg.instance, LEAVE_DELAY_MS), timeout]).catch((err: unknown) => {
        log.warn({ err }, 'nodes: could not mark this node stopping; the others take over once it is judged dead');
        return null;
      });
      if (at !== null) await new Promise((r) => setTimeout(r, LEAVE_DELAY_MS));
    },
  };
}

export { POLL_EVERY_MS };
