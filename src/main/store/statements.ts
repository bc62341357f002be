// Prepared statements kept per connection, for the queries every program call runs (the key check, the caller, the
// item and its fields): SQLite compiles a statement on this schema in ~40 µs, longer than most of these take to run,
// and a service API call ran a dozen of them: a third of its CPU time (test/bench/serviceApi.ts, profiled).
//
// Opt-in, by the repository that owns the query, rather than a cache under db.prepare: a statement keeps its mode
// (pluck) and its cursor, and code that holds a statement of its own (the audit writer, the anchor) must never find
// it changed by another caller of the same SQL. Here the mode is part of the key and set once.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../kernel/ports';

type Mode = 'rows' | 'pluck';

const caches = new WeakMap<Db, Map<string, Statement>>();

/** The statement for `sql` on `db`, compiled on first use; `pluck` returns each row's first column. */
export function cached(db: Db, sql: string, mode: Mode = 'rows'): Statement {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const key = `${mode}:${sql}`;
  const found = cache.get(key);
  // Busy: a caller is iterating it; a second cursor needs a statement of its own.
  if (found && !found.busy) return found;
  const statement = mode === 'pluck' ? db.prepare(sql).pluck() : db.prepare(sql);
  if (!found) cache.set(key, statement);
  return statement;
}
