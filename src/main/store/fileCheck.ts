// What an existing database file is, found before a byte of it is written: not SQLite, another application's, a
// newer Deputy's, damaged (cut short, failing SQLite's own check), or a Deputy database of a schema we know.
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, statSync, unlinkSync } from 'node:fs';
import { DeputyError } from '../kernel/errors';
import { restoreAdvice } from './backupFiles';
import { APPLICATION_ID, LATEST_VERSION } from './migrations';

const SQLITE_HEADER = 'SQLite format 3\0';

function readHeader(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(100);
    const n = readSync(fd, buf, 0, 100, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function refuse(message: string): never {
  throw new DeputyError('storage', message);
}

/** A damaged Deputy database: say what is wrong, that nothing was written, and how to get the newest backup back. */
export function refuseDamaged(path: string, what: string): never {
  refuse(`${path} is damaged: ${what}. Deputy writes nothing to a damaged database. ${restoreAdvice(path)}`);
}

/**
 * A file shorter than the page count its header gives was cut off (a copy that stopped, a full disk). The count is
 * trusted only where SQLite trusts it (the change counter equals version-valid-for), and only with no WAL beside the
 * file: WAL frames may hold the pages past its end.
 */
function cutShort(path: string, header: Buffer): string | null {
  if (header.length < 100) return `the file is cut short (${header.length} bytes, less than SQLite's 100-byte header)`;
  const raw = header.readUInt16BE(16);
  const pageSize = raw === 1 ? 65_536 : raw;
  const pages = header.readUInt32BE(28);
  const trusted = pages > 0 && header.readUInt32BE(24) === header.readUInt32BE(92);
  const wal = `${path}-wal`;
  if (!trusted || pageSize < 512 || (existsSync(wal) && statSync(wal).size > 0)) return null;
  const size = statSync(path).size;
  if (size >= pages * pageSize) return null;
  return `the file is cut short: it holds ${Math.floor(size / pageSize)} of the ${pages} pages its header counts`;
}

const damageCodes = ['SQLITE_CORRUPT', 'SQLITE_NOTADB'];
const isDamage = (err: unknown) =>
  err instanceof Database.SqliteError && damageCodes.some((c) => err.code === c || err.code.startsWith(`${c}_`));

/** SQLite's quick_check (every page and b-tree of the file, without matching indexes to rows): null when ok. */
export function quickCheckProblem(db: Database.Database): string | null {
  const rows = db.pragma('quick_check(3)', { simple: false }) as { quick_check: string }[];
  const problems = rows
    .map((r) => r.quick_check.replace('*** in database main ***\n', '').trim())
    .filter((p) => p !== 'ok');
  return problems.length ? problems.join('; ') : null;
}

/**
 * Which table SQLite cannot read, when checking the whole file stopped at the first damaged page: each table is
 * checked alone (with its indexes), so the message can name the one to look at. Only run on a file found damaged.
 */
function unreadableTable(db: Database.Database): string | null {
  let names: string[];
  try {
    names = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all() as string[];
  } catch {
    return null;
  }
  for (const name of names) {
    try {
      const rows = db.pragma(`quick_check(${JSON.stringify(name)})`, { simple: false }) as { quick_check: string }[];
      if (rows.some((r) => r.quick_check !== 'ok')) return `the ${name} table`;
    } catch (err) {
      if (isDamage(err)) return `the ${name} table`;
    }
  }
  return null;
}

export type ExistingFile = { kind: 'empty' } | { kind: 'deputy'; version: number };

/**
 * Reads an existing, non-empty file and refuses it unless it is a Deputy database this version can open and it is
 * whole. `then` runs on the same read-only connection before it closes (the backup before an upgrade). The check
 * opens read-only, so it never checkpoints a WAL into a file it refuses; the `-wal` and `-shm` files that opening
 * created are removed again.
 */
export async function checkExisting(
  path: string,
  then?: (db: Database.Database, found: ExistingFile) => Promise<void>,
  /** What to say of a damaged file: by default, how to restore the database's newest backup. */
  damaged: (path: string, what: string) => never = refuseDamaged,
): Promise<ExistingFile> {
  const header = readHeader(path);
  if (header.subarray(0, 16).toString('latin1') !== SQLITE_HEADER) {
    refuse(`${path} is not a Deputy database (it is not an SQLite file). It was left untouched.`);
  }
  const short = cutShort(path, header);
  if (short) damaged(path, short);
  const created = [`${path}-wal`, `${path}-shm`].filter((f) => !existsSync(f));
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
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
    const problem = quickCheckProblem(db);
    if (problem) damaged(path, `SQLite's integrity check fails (${problem})`);
    const found: ExistingFile = tables.n === 0 ? { kind: 'empty' } : { kind: 'deputy', version };
    await then?.(db, found);
    return found;
  } catch (err) {
    if (isDamage(err))
      damaged(path, `SQLite cannot read ${(db && unreadableTable(db)) ?? 'it'} (${(err as Error).message})`);
    throw err;
  } finally {
    db?.close();
    for (const file of created) {
      try {
        if (existsSync(file) && (file.endsWith('-shm') || statSync(file).size === 0)) unlinkSync(file);
      } catch {
        // another process opened the file meanwhile and holds it: its files stay
      }
    }
  }
}
