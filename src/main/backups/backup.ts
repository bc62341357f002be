// `deputy backup` (issue 22 #5): a copy of the database taken while consoles keep working on it, checked (whole, its
// audit chain verifying), and audited in the database it came from.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { backupPath, copyOnline } from '../store/backupFiles';
import { LATEST_VERSION } from '../store/migrations';
import { DeputyError } from '../kernel/errors';
import { openCheckedCopy } from './check';
import type { AppContext } from '../kernel/context';
import type { VaultFactory } from '../kernel/vault';

export interface BackupTaken {
  path: string;
  schema: number;
  /** Audit records in the copy, and its newest: what a restore of it goes back to. */
  records: number;
  head: { seq: number; hash: string } | null;
  bytes: number;
  sha256: string;
}

export async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Where the backup goes: beside the database under the default name when no place is given, into a folder under that
 * name, or to the file named, which must not exist (a backup never overwrites anything).
 */
export function backupDestination(dbPath: string, at: Date, given?: string): string {
  const named = backupPath(dbPath, LATEST_VERSION, at);
  if (given === undefined) return named;
  if (existsSync(given) && statSync(given).isDirectory()) return join(given, basename(named));
  if (existsSync(given)) {
    throw new DeputyError('invalid_input', `${given} exists already; a backup never overwrites a file. Name another.`);
  }
  return given;
}

/**
 * Copies the database with SQLite's online backup, then checks the copy as a restore would: a copy that is not whole or
 * whose chain does not verify is removed and the backup fails, saying why. The record of it (path, SHA-256, the head it
 * holds) goes to the database it copies, so the copy does not hold the record of its own making, but the log does.
 */
export async function takeBackup(
  app: AppContext,
  dbPath: string,
  vault: VaultFactory,
  given?: string,
): Promise<BackupTaken> {
  const path = backupDestination(dbPath, app.clock(), given);
  try {
    await copyOnline(app.db, path);
  } catch (err) {
    rmSync(path, { force: true });
    throw new DeputyError('storage', `The backup to ${path} could not be written: ${(err as Error).message}`);
  }
  let taken: Omit<BackupTaken, 'bytes' | 'sha256'>;
  try {
    const copy = await openCheckedCopy(path, `The backup ${path}`, vault);
    // One file, no -wal beside it: a backup is moved and copied as it is.
    copy.db.pragma('journal_mode = DELETE');
    copy.db.close();
    taken = { path, schema: copy.schema, records: copy.audit.count, head: copy.audit.head };
  } catch (err) {
    for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, { force: true });
    throw err;
  }
  const done: BackupTaken = { ...taken, bytes: statSync(path).size, sha256: await sha256Of(path) };
  app.audit.append({
    operator: null,
    action: 'backup.create',
    target: path,
    message: `Backed up the database to ${path} (schema ${done.schema}, ${done.records} audit records)`,
    details: { schema: done.schema, records: done.records, head: done.head, bytes: done.bytes, sha256: done.sha256 },
  });
  return done;
}
