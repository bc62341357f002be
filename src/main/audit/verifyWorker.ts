// A worker thread that checks one range of the audit chain on its own read-only connection (see verify.ts).
// Built as its own entry (electron.vite.config.ts); run from the TypeScript source only under a TS loader (tsx).
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { verifyRange, type KeyBytes, type RangeResult, type SeqRange } from './verifyRange';

export interface VerifyWorkerInput {
  path: string;
  range: SeqRange;
  keys: KeyBytes;
}

export type VerifyWorkerOutput = { ok: true; result: RangeResult } | { ok: false; error: string };

const input = workerData as VerifyWorkerInput;
let out: VerifyWorkerOutput;
try {
  const db = new Database(input.path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    out = { ok: true, result: verifyRange(db, input.range, input.keys) };
  } finally {
    db.close();
  }
} catch (err) {
  out = { ok: false, error: err instanceof Error ? err.message : String(err) };
}
parentPort?.postMessage(out);
