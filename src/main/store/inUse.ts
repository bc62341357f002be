// Whether another connection has the database open: a console (the window, `deputy serve`) or a command running.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';

/**
 * Asks SQLite's own locks: in WAL mode every open connection holds a shared lock on the file for as long as it is
 * open, so an exclusive lock is granted only when no one else has it open, whatever their process. Taken and let go
 * at once; nothing is written. A lease of our own would say the same only while its owner renews it, and be wrong
 * for a while after a crash; the lock goes with the process.
 */
export function openElsewhere(path: string): boolean {
  if (!existsSync(path)) return false;
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return false;
  } catch (err) {
    return err instanceof Database.SqliteError && err.code.startsWith('SQLITE_BUSY');
  } finally {
    db.close();
  }
}
