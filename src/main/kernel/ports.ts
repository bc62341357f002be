// The shapes of what the core is built from, declared here so that every module can depend on them
// without depending on the module that implements them (the kernel imports nothing above it).
import type Database from 'better-sqlite3';
import type { AuditLogName } from '../../shared/model';

export type Db = Database.Database;

export type Outcome = 'ok' | 'refused' | 'error';

export interface AuditEntry {
  log?: AuditLogName;
  /** The signed-in person or the calling service account (username), or null before sign-in. */
  operator: string | null;
  /** Who the action was done as; by default the call's effective user, else the operator. */
  effectiveUser?: string | null;
  /** By default the call's impersonator; pass null to write a record as the operator alone (R-S7). */
  impersonator?: string | null;
  action: string;
  target?: string | null;
  outcome?: Outcome;
  message: string;
  details?: Record<string, unknown>;
}

export interface AuditWriter {
  /** Appends one record; returns its seq. */
  append(entry: AuditEntry): number;
  /** Appends records in this order, many per statement: for a change that writes several. Returns their seqs. */
  appendAll(entries: readonly AuditEntry[]): number[];
  /**
   * Runs `fn`, inside a transaction, with the full-text indexing of the records it appends done once at its end: one
   * FTS5 segment for all of them instead of one per savepoint (a batch of calls: store/groupCommit.ts).
   */
  indexingOnce<T>(fn: () => T): T;
}

export interface Head {
  seq: number;
  hash: string;
}

export interface HeadAnchor {
  /** Anchors the current tail; calls run one after another and never fail the caller. */
  sync(): Promise<void>;
  /** The head anchored, and the database file it is the head of (absent in anchors from before it was kept). */
  read(): Promise<(Head & { file?: string }) | null>;
}

export interface Forwarder {
  /** Sends everything not yet forwarded; resolves with how many records went, rejects if the collector failed. */
  drain(): Promise<number>;
  /** Why the last attempt failed, and when, until an attempt gets everything through: the console shows it. */
  lastFailure(): { at: string; message: string } | null;
  stop(): void;
}

/** One operator's sign-in on one connection (an Electron window, a browser-mode cookie, a CLI run). */
export interface OperatorSession {
  username: string;
  lastActivity: number;
  impersonation?: { id: number; target: string };
  /**
   * Why the impersonation ended other than by Back to me (it expired, rights were lost, it was ended elsewhere), until
   * the operator has been told: by the window's next status look, or by refusing their next call, which was meant for
   * the impersonated user and must not run with the operator's own rights (R-S9).
   */
  impersonationEnded?: string;
}

/** The open operator sessions of one core, by connection. */
export interface SessionStore {
  start(connectionId: string, username: string, now: Date): void;
  /** Ends a session; `notice` is shown once on the sign-in screen to say why. */
  end(connectionId: string, notice?: string): void;
  get(connectionId: string): OperatorSession | undefined;
  entries(): [string, OperatorSession][];
  takeNotice(connectionId: string): string | null;
}

/** The expiry timers of one core's impersonation sessions: two cores in one process never share them. */
export interface TimerStore {
  set(id: number, fireAt: Date, run: () => void): void;
  clear(id: number): void;
  clearAll(): void;
}
