// What "nothing was written" means for the fault suite: a digest of every table's rows, table by table.
import { createHash } from 'node:crypto';
import type { Db } from '../../src/main/kernel/ports';

/**
 * Tables a refused call writes by design, for every method: the audit log and its full-text index, which hold
 * the refusal record (R-L3). Everything else a refused call must leave as it was.
 */
export const REFUSAL_RECORD_TABLES = ['audit_log', 'audit_fts'];

/**
 * Per method, what else its refusal writes by design, as a table, `table.key` (one row, by its first column) or
 * `table#column`: a
 * wrong password counts towards the lockout (`principals`: the failure count, and the lock itself at the limit),
 * and that write to principals moves the policy cache's generation (`settings.policy_generation`).
 */
export const REFUSAL_WRITES: Partial<Record<string, readonly string[]>> = {
  'auth.signIn': ['principals', 'settings.policy_generation'],
};

/**
 * What a program's refused call writes by design besides its record: the key's last use (`access_keys.last_used_at`,
 * for the rotation and dormancy reports), set once the key is checked, before the input is.
 */
export const PROGRAM_REFUSAL_WRITES = ['access_keys#last_used_at'];

/**
 * The user tables (an FTS5 table's shadow tables count as their table's). A virtual table is read through its shadow
 * tables, which hold all it keeps: a contentless FTS5 table (audit_fts, migration 180) cannot be scanned itself.
 */
export function tableNames(db: Db): string[] {
  return db
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
         AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name`,
    )
    .pluck()
    .all() as string[];
}

const ownerOf = (table: string, known: readonly string[]) =>
  known.find((t) => table === t || table.startsWith(`${t}_`)) ?? table;

/** A sha256 per table of all its rows (in a stable order), leaving out `except` and their shadow tables. */
export function digest(db: Db, except: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const table of tableNames(db)) {
    if (except.includes(ownerOf(table, except))) continue;
    const columns = (db.pragma(`table_info("${table}")`) as { name: string }[])
      .map((c) => c.name)
      .filter((c) => !except.includes(`${table}#${c}`));
    const list = columns.length > 0 ? columns.map((c) => `"${c}"`).join(', ') : '*';
    const rows = (db.prepare(`SELECT ${list} FROM "${table}"`).raw().all() as unknown[][]).filter(
      (r) => !except.includes(`${table}.${String(r[0])}`),
    );
    const lines = rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v)));
    lines.sort();
    out[table] = createHash('sha256').update(lines.join('\n')).digest('hex');
  }
  return out;
}

/** Exception Log records: an unexpected failure writes one (dispatch's recordInternal). */
export const exceptionCount = (db: Db): number =>
  db.prepare(`SELECT count(*) FROM audit_log WHERE log = 'exception'`).pluck().get() as number;
