// Backups of a database file: their names, where they go by default (beside the database), the newest one, and the
// copy itself, made with SQLite's online backup API so a console may keep writing meanwhile.
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type Database from 'better-sqlite3';

/**
 * `deputy.db.schema-170.2026-12-01T19-50-00Z.bak`: the file it copies, the schema it holds (so an administrator sees
 * which Deputy opens it), and the time in UTC, with `-` for `:` (Windows allows no colon in a name); sorting the
 * names of one database by their time sorts them by age.
 */
const NAME = /^(?<db>.+)\.schema-(?<schema>\d{3,})\.(?<time>\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ)(?:-(?<n>\d+))?\.bak$/;

const stamp = (at: Date) =>
  at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replaceAll(':', '-');

/** The default name of a backup of `dbPath` holding schema `schema`, taken at `at`, beside it; never an existing file. */
export function backupPath(dbPath: string, schema: number, at: Date): string {
  const base = `${dbPath}.schema-${String(schema).padStart(3, '0')}.${stamp(at)}`;
  let path = `${base}.bak`;
  for (let n = 2; existsSync(path); n++) path = `${base}-${n}.bak`;
  return path;
}

/** The newest backup of `dbPath` beside it, by the time in its name, or null when there is none. */
export function newestBackup(dbPath: string): string | null {
  const dir = dirname(dbPath);
  const own = basename(dbPath);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return null;
  }
  const found = names
    .map((name) => ({ name, m: NAME.exec(name) }))
    .filter(({ m }) => m?.groups?.db === own)
    .map(({ name, m }) => ({ name, key: `${m?.groups?.time}.${(m?.groups?.n ?? '1').padStart(6, '0')}` }))
    .sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
  return found[0] ? join(dir, found[0].name) : null;
}

const quoted = (path: string) => JSON.stringify(path);

/** What to do about a database that cannot be used: the command that restores its newest backup, if it has one. */
export function restoreAdvice(dbPath: string): string {
  const newest = newestBackup(dbPath);
  return newest
    ? `Its newest backup is ${newest}: restore it with deputy restore ${quoted(newest)} --db ${quoted(dbPath)}.`
    : `No backup of it was found beside it (${basename(dbPath)}.schema-NNN.<time>.bak): restore one kept elsewhere ` +
        `with deputy restore FILE --db ${quoted(dbPath)}.`;
}

/**
 * Copies `source` to the new file `dest` with SQLite's online backup API, all pages in one step: other connections
 * keep reading and writing meanwhile (WAL), and the copy is the database as one transaction saw it. Copying in
 * small steps would start over each time another connection wrote, which on a busy console might never end.
 */
export async function copyOnline(source: Database.Database, dest: string): Promise<void> {
  if (existsSync(dest)) throw new Error(`${dest} exists already; a backup never overwrites a file.`);
  await source.backup(dest, { progress: () => 0x7fffffff });
}
