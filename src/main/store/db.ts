// Opens the SQLite file, refusing anything that is not a Deputy database of a version we know,
// before a single byte of it is written.
import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DeputyError } from '../kernel/errors';
import { APPLICATION_ID, LATEST_VERSION, migrate } from './migrations';

export type Db = Database.Database;

const SQLITE_HEADER = 'SQLite format 3\0';

function readHeader(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, 16, 0);
    return buf.subarray(0, n).toString('latin1');
  } finally {
    closeSync(fd);
  }
}

function refuse(message: string): never {
  throw new DeputyError('storage', message);
}

/**
 * Every transaction takes the write lock when it begins (BEGIN IMMEDIATE), not at its first write (issue 21 #4).
 * Our transactions write: one that began by reading would, when another process on the file (a second console,
 * `deputy serve` beside the window) committed meanwhile, fail at once with SQLITE_BUSY on its first write, since
 * SQLite cannot wait for a snapshot that is already stale. Taken first, the lock is waited for (busy_timeout).
 * Nested transactions stay savepoints, whatever their mode.
 */
function writeLockFirst(db: Db): void {
  const make = db.transaction.bind(db);
  db.transaction = ((fn) => {
    const tx = make(fn);
    return Object.assign((...args: Parameters<typeof tx>) => tx.immediate(...args), {
      default: tx.immediate,
      deferred: tx.deferred,
      immediate: tx.immediate,
      exclusive: tx.exclusive,
    });
  }) as Db['transaction'];
}

export function openDatabase(path: string): Db {
  const existing = existsSync(path) && statSync(path).size > 0;
  if (existing && readHeader(path) !== SQLITE_HEADER) {
    refuse(`${path} is not a Deputy database (it is not an SQLite file). It was left untouched.`);
  }
  if (!existing) mkdirSync(dirname(path), { recursive: true });

  const db = new Database(path);
  try {
    const appId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    const tables = db.prepare(`SELECT count(*) AS n FROM sqlite_master`).get() as { n: number };
    if (appId !== APPLICATION_ID && (appId !== 0 || version !== 0 || tables.n > 0)) {
      refuse(`${path} is an SQLite database of another application, not Deputy's. It was left untouched.`);
    }
    if (version > LATEST_VERSION) {
      refuse(
        `${path} was written by a newer Deputy (schema ${version}; this version knows up to ${LATEST_VERSION}). ` +
          `Update Deputy to open it. It was left untouched.`,
      );
    }
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    // The audit write path must survive power loss: a change and its record are durable together.
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    writeLockFirst(db);
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
