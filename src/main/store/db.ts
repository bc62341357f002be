// Opens the SQLite file, refusing anything that is not a whole Deputy database of a version we know, before a
// single byte of it is written, and backing an older one up beside it before migrating it.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { systemClock, type Clock } from '../kernel/clock';
import { backupPath, copyOnline } from './backupFiles';
import { checkExisting } from './fileCheck';
import { LATEST_VERSION, migrate } from './migrations';

export type Db = Database.Database;

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

export interface OpenOptions {
  /**
   * Before migrating a database of an older schema, copy it beside itself (`deputy.db.schema-020.<time>.bak`) with
   * SQLite's online backup (issue 22 #4). On by default; restore turns it off, the file it restores from being the
   * backup already.
   */
  backupBeforeUpgrade?: boolean;
  clock?: Clock;
  /** Told the path of the backup taken before an upgrade (the CLI and the window's log print it). */
  onBackup?: (path: string, fromVersion: number) => void;
}

export async function openDatabase(path: string, options: OpenOptions = {}): Promise<Db> {
  const { backupBeforeUpgrade = true, clock = systemClock } = options;
  if (existsSync(path) && statSync(path).size > 0) {
    await checkExisting(path, async (source, found) => {
      if (!backupBeforeUpgrade || found.kind !== 'deputy' || found.version >= LATEST_VERSION) return;
      const dest = backupPath(path, found.version, clock());
      await copyOnline(source, dest);
      options.onBackup?.(dest, found.version);
    });
  } else mkdirSync(dirname(path), { recursive: true });

  const db = new Database(path);
  try {
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
