/**
 * The `nodes` table (issue 10): one row per NetWatch process sharing the database, kept fresh by a
 * heartbeat. Every time here is UTC epoch ms on the DATABASE's clock (MySQL
 * `UNIX_TIMESTAMP(NOW(3))`, SQLite `julianday('now')`), never a node's own clock, so clock skew
 * between nodes never makes a live node look dead (design-notes.md, "Several nodes").
 * No GET_LOCK/LOCK TABLES (not replicated by Galera): a row lock in a short transaction, retried
 * on a deadlock (Galera's certification failure, ER_LOCK_DEADLOCK 1213).
 */
import { randomBytes } from 'node:crypto';
import { SQL, type SQLStatement } from 'sql-template-strings';
import { DEAD_AFTER_MS, type NodeRow } from '../domain/nodes.js';
import type { Db } from './db.js';

/** The database clock as a SQL expression, UTC epoch ms (an integer). */
export function dbClock(db: Db): string {
  return db.dialect === 'mysql' ? 'ROUND(UNIX_TIMESTAMP(NOW(3)) * 1000)' : "CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)";
}

/** Reads the database clock, UTC epoch ms. */
export async function readDbClock(db: Db): Promise<number> {
  const row = await db.get<{ now: number }>(SQL`SELECT `.append(dbClock(db)).append(' AS now'));
  return Number(row!.now);
}

/** Thrown at start when a live node already holds the name. */
export class NodeNameInUseError extends Error {
  readonly code = 'NODE_NAME_IN_USE';
  constructor(
    readonly nodeName: string,
    readonly heartbeatAgeMs: number,
  ) {
    super(
      `node name "${nodeName}" is in use by a live NetWatch node (last heartbeat ${Math.round(heartbeatAgeMs)} ms ago); ` +
        `give this one another NETWATCH_NODE_NAME, or stop the other and wait ${DEAD_AFTER_MS / 1000} s`,
    );
    this.name = 'NodeNameInUseError';
  }
}

/** Who this process is (config + package version). */
export interface NodeIdentity {
  name: string;
  location: string;
  version: string;
}

/** This process's hold on its row: `instance` tells it from an earlier process of the same name. */
export interface Registration {
  readonly instance: string;
  /** Database-clock ms the row was written. */
  readonly startedAt: number;
  /** Database-clock ms from which this node counts in the assignment (startedAt + joinDelayMs). */
  readonly activeFrom: number;
}

const isDeadlock = (err: unknown) => (err as { errno?: number }).errno === 1213;

/** Runs a short transaction, retrying up to 5 times on a deadlock (Galera certification failure). */
export async function retryTx<T>(db: Db, fn: (db: Db) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.tx(fn);
    } catch (err) {
      if (!isDeadlock(err) || attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 20 * attempt));
    }
  }
}

/**
 * Registers this node: refuses when a live node holds the name (heartbeat within
 * {@link DEAD_AFTER_MS} and not stopped), else writes the row afresh (a dead row of the same
 * name is taken over).
 * @param joinDelayMs how long after registering the node starts to count in the assignment, when
 *   another node of its location is up (alone, it counts at once: nobody to hand over from)
 * @param exclusive the caller already holds the store alone (SQLite's data folder lock): an
 *   existing row of the name is a previous run of this node, taken over whatever its heartbeat
 * @throws {@link NodeNameInUseError}; the driver's error when the database fails
 */
export async function registerNode(db: Db, id: NodeIdentity, joinDelayMs: number, exclusive = false): Promise<Registration> {
  const instance = randomBytes(16).toString('base64url');
  return retryTx(db, async (tx) => {
    const now = await readDbClock(tx);
    const q = SQL`SELECT name, heartbeat_at, stopped_at, conn_id, conn_scope FROM nodes WHERE name = ${id.name}`;
    if (tx.dialect === 'mysql') q.append(' FOR UPDATE');
    const old = await tx.get<Record<string, unknown>>(q);
    if (old) {
      const age = now - Number(old.heartbeat_at);
      const stopped = old.stopped_at != null && Number(old.stopped_at) <= now;
      const gone = (await markGone(tx, [old])).size > 0;
      if (!exclusive && !stopped && !gone && age < DEAD_AFTER_MS) throw new NodeNameInUseError(id.name, age);
      await tx.run(SQL`DELETE FROM nodes WHERE name = ${id.name}`);
    }
    const peers = await tx.all<Record<string, unknown>>(SQL`SELECT name, conn_id, conn_scope FROM nodes
      WHERE location = ${id.location} AND heartbeat_at > ${now - DEAD_AFTER_MS} AND (stopped_at IS NULL OR stopped_at > ${now})`);
    const gonePeers = await markGone(tx, peers);
    const alone = peers.every((p) => gonePeers.has(String(p.name)));
    const activeFrom = alone ? now : now + joinDelayMs;
    await tx.run(SQL`INSERT INTO nodes (name, location, instance, version, store, started_at, active_from, heartbeat_at)
      VALUES (${id.name}, ${id.location}, ${instance}, ${id.version}, ${tx.dialect}, ${now}, ${activeFrom}, ${now})`);
    // the connection is recorded by the first heartbeat (on the node's presence connection, which lives as long as the process)
    return { instance, startedAt: now, activeFrom };
  });
}

/** A node's own figures, written with each heartbeat. */
export interface NodeFigures {
  targetsAssigned: number;
  /** Schedule lag p99 over the last minute, ms; null when nothing was probed. */
  lagP99Ms: number | null;
  writerBuffered: number;
  writerDropped: number;
}

/**
 * Refreshes this node's heartbeat and figures.
 * @returns false when the row is no longer this process's (an admin removed it, or another
 *   process took the name after this one was judged dead)
 */
export async function heartbeat(db: Db, name: string, instance: string, f: NodeFigures): Promise<boolean> {
  const q = SQL`UPDATE nodes SET heartbeat_at = `.append(dbClock(db));
  if (db.dialect === 'mysql') q.append(`, conn_id = CONNECTION_ID(), conn_scope = ${SCOPE}`);
  q.append(SQL`, targets_assigned = ${f.targetsAssigned},
    lag_p99_ms = ${f.lagP99Ms}, writer_buffered = ${f.writerBuffered}, writer_dropped = ${f.writerDropped}
    WHERE name = ${name} AND instance = ${instance}`);
  return (await db.run(q)).changes > 0;
}

/**
 * Marks a clean stop: the node leaves the assignment `afterMs` from now (database clock) and keeps
 * probing until then, so the others take over at that moment.
 * @returns the database-clock ms of the hand-over, or null when the row is no longer ours
 */
export async function markStopping(db: Db, name: string, instance: string, afterMs: number): Promise<number | null> {
  const now = await readDbClock(db);
  const r = await db.run(SQL`UPDATE nodes SET stopped_at = ${now + afterMs} WHERE name = ${name} AND instance = ${instance}`);
  return r.changes > 0 ? now + afterMs : null;
}

/**
 * Starts the join delay of a registered node that does not count yet: it counts from `afterMs`
 * from now (database clock). Called once the node's actors run, so a slow start (password hashing,
 * a loaded machine) cannot leave its targets unprobed between the others letting go and it starting.
 * @returns false when the row is no longer this process's
 */
export async function activateNode(db: Db, name: string, instance: string, afterMs: number): Promise<boolean> {
  const q = SQL`UPDATE nodes SET active_from = `
    .append(dbClock(db))
    .append(SQL` + ${afterMs} WHERE name = ${name} AND instance = ${instance} AND active_from > `)
    .append(dbClock(db));
  if ((await db.run(q)).changes > 0) return true;
  return (await db.get(SQL`SELECT name FROM nodes WHERE name = ${name} AND instance = ${instance}`)) !== undefined;
}

/** Which server and user a connection is on: PROCESSLIST shows a user's own threads without the PROCESS privilege. */
const SCOPE = "CONCAT(@@hostname, ':', @@port, '/', CURRENT_USER())";

/**
 * The connection ids among `ids` that the server lists now, and the scope (server and user) of the
 * connection that looked, in one statement (so both come from the same server behind a proxy).
 */
async function listedConnections(db: Db, ids: readonly number[]): Promise<{ scope: string; listed: Set<number> }> {
  const q = SQL`SELECT `.append(SCOPE).append(' AS scope, (SELECT GROUP_CONCAT(ID) FROM information_schema.PROCESSLIST WHERE ID IN (');
  ids.forEach((id, i) => q.append(i ? SQL`, ${id}` : SQL`${id}`));
  q.append(')) AS listed');
  const row = await db.get<{ scope: string; listed: string | null }>(q);
  return { scope: String(row?.scope), listed: new Set((row?.listed ?? '').split(',').filter(Boolean).map(Number)) };
}

/**
 * Marks rows whose heartbeat connection the server no longer lists (MySQL; the reader must be on
 * the same server as the same user, else the row is judged by its heartbeat alone).
 */
async function markGone(db: Db, rows: Record<string, unknown>[]): Promise<Set<string>> {
  const gone = new Set<string>();
  if (db.dialect !== 'mysql') return gone;
  const ids = rows.filter((r) => r.conn_id != null && r.stopped_at == null).map((r) => Number(r.conn_id));
  if (ids.length === 0) return gone;
  const { scope, listed } = await listedConnections(db, ids);
  for (const r of rows) {
    if (r.conn_id != null && r.conn_scope === scope && !listed.has(Number(r.conn_id))) gone.add(String(r.name));
  }
  return gone;
}

/** Every node row and the database clock they are judged against (one read). */
export async function listNodes(db: Db): Promise<{ now: number; nodes: NodeRow[] }> {
  const now = await readDbClock(db);
  const rows = await db.all<Record<string, unknown>>(SQL`SELECT * FROM nodes ORDER BY location, name`);
  const gone = await markGone(db, rows);
  const num = (v: unknown) => (v == null ? null : Number(v));
  return {
    now,
    nodes: rows.map((r) => ({
      name: String(r.name),
      location: String(r.location),
      version: String(r.version),
      store: String(r.store),
      startedAt: Number(r.started_at),
      activeFrom: Number(r.active_from),
      heartbeatAt: Number(r.heartbeat_at),
      stoppedAt: num(r.stopped_at),
      targetsAssigned: Number(r.targets_assigned),
      lagP99Ms: num(r.lag_p99_ms),
      writerBuffered: Number(r.writer_buffered),
      writerDropped: Number(r.writer_dropped),
      connectionGone: gone.has(String(r.name)),
    })),
  };
}

/**
 * Removes a down node's row (admin). A live node's row is never removed (it would re-appear).
 * @returns 'removed', 'live' (refused) or 'unknown'
 */
export async function deleteNode(db: Db, name: string): Promise<'removed' | 'live' | 'unknown'> {
  const del: SQLStatement = SQL`DELETE FROM nodes WHERE name = ${name} AND (heartbeat_at < `
    .append(dbClock(db))
    .append(SQL` - ${DEAD_AFTER_MS} OR stopped_at <= `)
    .append(dbClock(db))
    .append(')');
  if ((await db.run(del)).changes > 0) return 'removed';
  return (await db.get(SQL`SELECT name FROM nodes WHERE name = ${name}`)) ? 'live' : 'unknown';
}
