// Which statements a piece of code runs, with their parameters, against a real database: for query-plan tests and
// for handing the very same statements to the sqlite3 CLI in the bench.
import type Database from 'better-sqlite3';

export interface RanStatement {
  sql: string;
  params: unknown[];
}

/** Runs `use` with a database that records each statement it executes (all, get, iterate, run), in order. */
export function statementsRun(db: Database.Database, use: (db: Database.Database) => void): RanStatement[] {
  const ran: RanStatement[] = [];
  // pluck(), raw()… return the statement itself: keep watching it.
  const watch = (statement: Database.Statement, sql: string): Database.Statement =>
    new Proxy(statement, {
      get(st, method) {
        const value = Reflect.get(st, method) as unknown;
        if (typeof value !== 'function') return value;
        return (...params: unknown[]) => {
          if (method === 'all' || method === 'get' || method === 'iterate' || method === 'run') {
            ran.push({ sql, params });
          }
          const out = (value as (...a: unknown[]) => unknown).apply(st, params);
          return out === st ? watch(st, sql) : out;
        };
      },
    });
  use(
    new Proxy(db, {
      get: (target, name) =>
        name === 'prepare' ? (sql: string) => watch(target.prepare(sql), sql) : Reflect.get(target, name),
    }),
  );
  return ran;
}
