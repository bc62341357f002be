// verify (R-L2): walks the chain and reports OK with the count, or the first break and its kind.
// Large logs are checked as two ranges of seq at once, one on this thread and one in a worker thread with its
// own read-only connection: each record stores prev_hash, so a range needs nothing from the other; the merge
// below then checks the joins and keeps the first break, so the report is the one a single walk would give.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { anchoredElsewhere } from './anchor';
import { GENESIS } from './chain';
import { chainKeyIds, readChainKey } from './keys';
import {
  gapBreak,
  linkBreak,
  verifyRange,
  type Break,
  type KeyBytes,
  type RangeResult,
  type SeqRange,
} from './verifyRange';
import type { VerifyWorkerInput, VerifyWorkerOutput } from './verifyWorker';
import type { HeadAnchor } from '../kernel/ports';
import type { CredentialVault } from '../kernel/vault';
import type { Db } from '../kernel/ports';
import type { AuditVerifyReport } from '../../shared/model';

/**
 * From this many records the walk (~3 µs a record) runs in worker threads: on this thread it would stall the window's
 * main process; below it a worker's start-up (tens of ms) costs more than the walk.
 */
const IN_WORKERS_FROM = 20_000;
/** From this many records, two workers, each half of the log; below it a second start-up costs more than it saves. */
export const PARALLEL_FROM = 100_000;

interface WorkerStart {
  /** What new Worker() runs: a file, or (eval) a script. */
  what: URL | string;
  eval: boolean;
}

/**
 * How to start the worker, or null where there is none to run. Built: electron.vite.config.ts makes
 * auditVerifyWorker.js an entry of its own and keeps every chunk beside the entries, so it sits next to the file
 * this code was bundled into, whichever that is. From the TypeScript sources (the bench under tsx) Node 20 does
 * not pass tsx's loader on to workers, so a small script registers it in the worker, then imports the .ts entry;
 * where tsx cannot be found (vitest) there is no worker and every range is checked on this thread.
 */
function workerStart(): WorkerStart | null {
  const here = import.meta.url;
  if (!here.startsWith('file:')) return null;
  if (!here.endsWith('.ts')) {
    const entry = new URL('./auditVerifyWorker.js', here);
    return existsSync(fileURLToPath(entry)) ? { what: entry, eval: false } : null;
  }
  try {
    const tsx = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./verifyWorker.ts', here).href;
    return {
      what: `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`,
      eval: true,
    };
  } catch {
    return null;
  }
}

function inWorker(start: WorkerStart, input: VerifyWorkerInput): Promise<RangeResult | null> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: RangeResult | null) => {
      if (!settled) resolve(r);
      settled = true;
    };
    const worker = new Worker(start.what, { eval: start.eval, workerData: input });
    worker.once('message', (out: VerifyWorkerOutput) => done(out.ok ? out.result : null));
    worker.once('error', () => done(null));
    worker.once('exit', () => done(null));
  });
}

/** Splits seq up to `upTo` into `parts` ranges of about equal size; the first is open below (seq <= 0 too). */
export function splitRanges(min: number, upTo: number, parts: number): SeqRange[] {
  const ranges: SeqRange[] = [];
  let after: number | null = null;
  for (let i = 1; i < parts; i++) {
    const cut = min - 1 + Math.floor(((upTo - min + 1) * i) / parts);
    if (cut < min || (after !== null && cut <= after)) continue;
    ranges.push({ after, upTo: cut });
    after = cut;
  }
  ranges.push({ after, upTo });
  return ranges;
}

export interface Walk {
  /** Records that passed, before the break if there is one. */
  count: number;
  unkeyed: number;
  /** The last record that passed (seq 0 and the genesis hash: none). */
  prev: { seq: number; hash: string };
  break: Break | null;
}

/**
 * Checks the ranges (with `threads`, each in a worker thread where it can, so this thread, the window's main process,
 * stays free meanwhile) and merges them in order into what a single walk from the first record finds: the first
 * break, with the counts before it.
 */
export async function verifyRanges(db: Db, ranges: SeqRange[], keys: KeyBytes, threads: boolean): Promise<Walk> {
  const start = threads && !db.memory ? workerStart() : null;
  const pending = ranges.map((range) => (start ? inWorker(start, { path: db.name, range, keys }) : null));
  const results: RangeResult[] = [];
  for (const [i, range] of ranges.entries()) {
    // A worker that could not run (no entry, a failure) leaves its range to this thread: same answer, slower.
    results.push((await pending[i]) ?? verifyRange(db, range, keys));
  }

  const walk: Walk = { count: 0, unkeyed: 0, prev: { seq: 0, hash: GENESIS }, break: null };
  for (const r of results) {
    if (!r.first) continue;
    // The order a single walk checks a record in: its seq, its key and hash (done in the range), its link.
    if (r.first.seq !== walk.prev.seq + 1) return { ...walk, break: gapBreak(walk.prev.seq + 1) };
    if (r.break && r.count === 0 && r.break.seq === r.first.seq) return { ...walk, break: r.break };
    if (r.first.prevHash !== walk.prev.hash) {
      return { ...walk, break: linkBreak(db, r.first.seq, r.first.prevHash) };
    }
    walk.count += r.count;
    walk.unkeyed += r.unkeyed;
    if (r.last) walk.prev = r.last;
    if (r.break) return { ...walk, break: r.break };
  }
  return walk;
}

export async function verifyAudit(db: Db, vault: CredentialVault, anchor: HeadAnchor): Promise<AuditVerifyReport> {
  // The anchor is read before the records: while a worker runs, the app keeps appending and anchoring, and an
  // anchor read after the walk could name a record appended after it and look like a cut-off tail.
  const read = await anchor.read();
  // A copy of the log (a backup, a file copied for an auditor) is checked on its own: the anchor is another file's.
  const copyOf = anchoredElsewhere(db, read);
  const anchored = copyOf ? null : read;
  // Two subqueries: SQLite reads min() and max() of the key from the ends of its b-tree only when each stands alone.
  const { min, max } = db
    .prepare(`SELECT (SELECT min(seq) FROM audit_log) AS min, (SELECT max(seq) FROM audit_log) AS max`)
    .get() as {
    min: number | null;
    max: number | null;
  };
  const keys: KeyBytes = [];
  for (const id of chainKeyIds(db)) {
    keys.push([id, await readChainKey(vault, id)]);
  }

  // Records appended while verify runs lie past `max`: the walk covers the log as it was when it started.
  const size = min === null || max === null ? 0 : max - min + 1;
  const ranges = min === null || max === null ? [] : splitRanges(min, max, size >= PARALLEL_FROM ? 2 : 1);
  const { count, unkeyed, prev, break: found } = await verifyRanges(db, ranges, keys, size >= IN_WORKERS_FROM);
  const broken = (b: Break): AuditVerifyReport => ({
    ok: false,
    count,
    unkeyed,
    head: null,
    break: b,
    ...(copyOf ? { copyOf } : {}),
  });
  if (found) return broken(found);

  if (anchored && anchored.seq > prev.seq) {
    return broken({
      seq: prev.seq + 1,
      kind: 'truncated',
      message: `The log ends at ${prev.seq}, but record ${anchored.seq} was anchored: its tail was cut off.`,
    });
  }
  if (
    anchored &&
    anchored.seq > 0 &&
    (db.prepare(`SELECT hash FROM audit_log WHERE seq = ?`).pluck().get(anchored.seq) as string) !== anchored.hash
  ) {
    return broken({
      seq: anchored.seq,
      kind: 'truncated',
      message: `Record ${anchored.seq} is not the one anchored: the tail was cut off and rewritten.`,
    });
  }
  return { ok: true, count, unkeyed, head: count ? prev : null, ...(copyOf ? { copyOf } : {}) };
}
