/**
 * One NetWatch process per SQLite data folder (two would probe every target twice and race on the
 * file). The guard is an exclusive SQLite lock on `<dataDir>/netwatch.lock`, held by an open
 * connection in EXCLUSIVE locking mode for as long as the process runs. SQLite takes it with
 * fcntl(2) record locks on the open descriptor, so the kernel releases it the moment the holder
 * exits, however it exits (kill -9, OOM killer, power loss): a supervisor can restart NetWatch at
 * once, with nothing stale to wait for. The holder's PID is written to `<dataDir>/netwatch.pid`
 * after the lock is taken, so a refused process can say who holds the folder.
 * (SQLite file locking: https://www.sqlite.org/lockingv3.html, PRAGMA locking_mode.)
 */
import { readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** Thrown when another live NetWatch holds the data folder. */
export class StoreInUseError extends Error {
  readonly code = 'STORE_IN_USE';
  /** PID of the holder as it recorded it, or null when it could not be read. */
  readonly holderPid: number | null;
  constructor(file: string, holderPid: number | null) {
    const who = holderPid === null ? 'another NetWatch process' : holderPid === process.pid ? 'this process already (opened twice)' : `another NetWatch process (PID ${holderPid})`;
    super(`${file} is in use by ${who}; stop it or give this one another NETWATCH_DATA_DIR`);
    this.holderPid = holderPid;
  }
}

/** SQLite's "database is locked" codes: someone else holds the lock. */
const BUSY = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED']);

function readPid(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Takes the data folder's process lock without waiting.
 * @param dataDir an existing folder
 * @param guarded the file named in the error (the database the lock guards)
 * @returns a function that releases the lock (idempotent)
 * @throws {@link StoreInUseError} when a live process (this one included) holds it;
 *   the driver's error when the lock file cannot be opened or written
 */
export function lockDataDir(dataDir: string, guarded: string): () => void {
  const lockFile = join(dataDir, 'netwatch.lock');
  const pidFile = join(dataDir, 'netwatch.pid');
  const conn = new Database(lockFile, { timeout: 0 });
  try {
    conn.pragma('locking_mode = EXCLUSIVE');
    // The first write in EXCLUSIVE locking mode takes the exclusive lock and keeps it until close.
    conn.exec('BEGIN EXCLUSIVE');
    conn.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, since INTEGER NOT NULL)');
    conn.exec('DELETE FROM holder');
    conn.prepare('INSERT INTO holder (pid, since) VALUES (?, ?)').run(process.pid, Date.now());
    conn.exec('COMMIT');
  } catch (err) {
    conn.close();
    if (BUSY.has((err as { code?: string }).code ?? '')) throw new StoreInUseError(guarded, readPid(pidFile));
    throw err;
  }
  try {
    writeFileSync(`${pidFile}.tmp`, `${process.pid}\n`);
    renameSync(`${pidFile}.tmp`, pidFile);
  } catch (err) {
    conn.close();
    throw err;
  }
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    if (readPid(pidFile) === process.pid) rmSync(pidFile, { force: true });
    conn.close();
  };
}
