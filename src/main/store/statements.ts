// Prepared statements kept per connection, for the queries every program call runs (the key check, the caller, the
// item and its fields): SQLite compiles one of these in 10–16 µs, 5–8 times what running it takes (~2 µs, measured
// on the demo database), and a service API call compiled a dozen: about a third of the server's busy time in a
// profile of test/bench/serviceApi.ts.
//
// Opt-in, by the repository that owns the query, rather than a cache under db.prepare: a statement keeps its mode
// (pluck) and its cursor, and code that holds a statement of its own (the audit writer, the anchor) must never find
// it changed by another caller of the same SQL. Here each mode has statements of its own, set once.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../kernel/ports';

type Mode = 'rows' | 'pluck';

/** Per connection, one map per mode, keyed by the SQL itself: a literal's hash is computed once, a built key's each time. */
const caches = new WeakMap<Db, Record<Mode, Map<string, Statement>>>();

/** The statement for `sql` on `db`, compiled on first use; `pluck` returns each row's first column. */
export function cached(db: Db, sql: string, mode: Mode = 'rows'): Statement {
  let modes = caches.get(db);
  if (!modes) caches.set(db, (modes = { rows: new Map(), pluck: new Map() }));
  const cache = modes[mode];
  const found = cache.get(sql);
  // Busy: a caller is iterating it; a second cursor needs a statement of its own.
  if (found && !found.busy) return found;
  const statement = mode === 'pluck' ? db.prepare(sql).pluck() : db.prepare(sql);
  if (!found) cache.set(sql, statement);
  return statement;
}
