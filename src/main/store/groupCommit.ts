// Group commit: calls that arrive while the database is busy committing are run together in one transaction, each
// in a SAVEPOINT of its own, and answered only after that one COMMIT returned.
//
// Why: with synchronous = FULL (store/db.ts) every COMMIT waits for an fsync of the WAL, 0.5–3.5 ms on the
// development VM, so committing each call on its own capped the service API at ~140 audited calls a second (two
// commits a call: the key's last use, the change) whatever the CPU did; grouped, ~18 calls share a COMMIT and the
// same load gets 1,300–1,600 (test/bench/serviceApi.ts, test/bench/README.md). better-sqlite3 commits synchronously,
// so while one commit waits for the disk the event loop is stopped and the next requests pile up in the sockets; the
// batch after it takes all of them, and their fsync is shared. Nothing is acknowledged before it is durable: a call's
// promise settles after the COMMIT that holds its writes returned, and if that COMMIT fails every call in the batch
// fails with it (none of them was kept).
//
// A call that throws rolls back to its savepoint: its own writes and audit records go, the others' stay, and the
// audit chain stays whole, since the writer reads the chain's tail inside the transaction (audit/writer.ts) and
// keeps none of it in memory; the anchor and the forwarder read only what is committed, after the batch. Calls
// that return errors as values (the dispatch's Results) keep what they wrote, refusal records included, exactly as
// they would have alone.
import type { Db } from '../kernel/ports';

export interface GroupCommit {
  /**
   * Runs `work` in the next batch, inside the batch's transaction and a savepoint of its own; settles with what it
   * returned or threw once the batch committed. `work` must not hold the transaction across an await (SQLite
   * transactions here are synchronous); a promise it returns is passed on, and only what ran before its first
   * await is in the batch.
   */
  run<T>(work: () => T): Promise<Awaited<T>>;
  /** Resolves once every call handed to `run` so far has settled (before the database closes). */
  idle(): Promise<void>;
  /** Batches committed (or failed) and calls run, since the start: calls / batches is the mean batch size. */
  stats(): { batches: number; calls: number };
}

interface Waiting {
  work: () => unknown;
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

/** What a call gave: boxed, so that a promise it returns is not taken for the savepoint's own result. */
type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * `around` wraps the work of each batch inside its transaction (the core passes the audit writer's indexingOnce, so
 * that the batch's records are full-text indexed once, at its end).
 */
export function createGroupCommit(db: Db, around: <T>(work: () => T) => T = (work) => work()): GroupCommit {
  let queue: Waiting[] = [];
  let scheduled = false;
  let idleWaiters: (() => void)[] = [];
  let batches = 0;
  let calls = 0;

  // Nested inside the batch's transaction, better-sqlite3 runs this as SAVEPOINT … RELEASE, or ROLLBACK TO on a throw.
  const inSavepoint = db.transaction((work: () => unknown): Outcome => ({ ok: true, value: work() }));
  const inBatch = db.transaction((batch: readonly Waiting[]): Outcome[] =>
    around(() =>
      batch.map((w): Outcome => {
        try {
          return inSavepoint(w.work);
        } catch (error) {
          return { ok: false, error };
        }
      }),
    ),
  );

  function flush(): void {
    scheduled = false;
    const batch = queue;
    queue = [];
    batches++;
    calls += batch.length;
    let outcomes: Outcome[];
    try {
      // Nested in an open transaction, the batch would be a savepoint and "committed" would not mean durable.
      if (db.inTransaction) throw new Error('group commit: a transaction is already open on this connection');
      // IMMEDIATE takes the write lock before the first call reads: another process (the CLI) cannot commit in
      // between and turn the batch's first write into SQLITE_BUSY_SNAPSHOT, which would fail every call in it.
      outcomes = inBatch.immediate(batch);
    } catch (error) {
      for (const w of batch) w.reject(error); // the COMMIT (or BEGIN) failed: nothing of the batch was kept
      return settled();
    }
    batch.forEach((w, i) => {
      const o = outcomes[i]!;
      if (o.ok) w.resolve(o.value);
      else w.reject(o.error);
    });
    settled();
  }

  function settled(): void {
    if (queue.length || scheduled) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  return {
    run<T>(work: () => T): Promise<Awaited<T>> {
      return new Promise<Awaited<T>>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
        if (scheduled) return;
        scheduled = true;
        // After the I/O callbacks of this turn of the event loop: every request that arrived while the last COMMIT
        // held the loop (and whose key check needed no keychain round trip) joins this batch.
        setImmediate(flush);
      });
    },
    idle: () =>
      queue.length || scheduled ? new Promise<void>((resolve) => idleWaiters.push(resolve)) : Promise.resolve(),
    stats: () => ({ batches, calls }),
  };
}
