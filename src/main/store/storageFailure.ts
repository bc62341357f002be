// What SQLite says when the storage under it fails, in words an administrator can act on (issue 21 #6): a full
// disk, an I/O error, a damaged or read-only file. Such a failure is not a bug of ours, so it is not an
// "internal error" with a reference into an Exception Log that, on a full disk, could not be written either.
import Database from 'better-sqlite3';
import { DeputyError } from '../kernel/errors';

/** SQLite's primary result codes for a failing store, with what to tell the operator (extended codes share them). */
const FAILURES: Record<string, string> = {
  SQLITE_FULL: 'the disk is full',
  SQLITE_IOERR: 'the disk could not be read or written (an I/O error)',
  SQLITE_CORRUPT: 'the database file is damaged',
  SQLITE_NOTADB: 'the database file is damaged (it is no longer an SQLite file)',
  SQLITE_READONLY: 'the database file cannot be written (it is read-only)',
  SQLITE_CANTOPEN: 'the database file cannot be opened',
  SQLITE_PERM: 'the database file may not be written (permissions)',
};

const ADVICE: Record<string, string> = {
  SQLITE_FULL: 'Free some space and try again.',
  SQLITE_CORRUPT:
    'Stop Deputy and restore the database from a backup: deputy restore FILE (its newest backup is beside it).',
  SQLITE_NOTADB:
    'Stop Deputy and restore the database from a backup: deputy restore FILE (its newest backup is beside it).',
};

/** The storage failure `err` is, as a `storage` error saying what happened and that nothing was saved; else null. */
export function storageFailure(err: unknown): DeputyError | null {
  if (!(err instanceof Database.SqliteError)) return null;
  // Extended codes (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED…) name their primary code first.
  const primary = Object.keys(FAILURES).find((code) => err.code === code || err.code.startsWith(`${code}_`));
  if (!primary) return null;
  const advice = ADVICE[primary] ?? 'Check the disk and the file, and try again.';
  return new DeputyError(
    'storage',
    `storage: ${FAILURES[primary]} (${err.code}). Nothing of this change was saved. ${advice}`,
  );
}
