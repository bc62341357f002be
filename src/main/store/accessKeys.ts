// The access keys repository (R-K12): a key's id, dates and state. Its secret is never here, only in the
// OS keychain (access_keys).
import type { Db } from '../kernel/ports';
import { cached } from './statements';
import type { PrincipalStatus } from '../../shared/model';

/** A key as stored: the Record Deletion Log keeps this very shape as a deleted key's snapshot. */
export interface KeyRow {
  id: string;
  service_account_id: number;
  created_at: string;
  expires_at: string;
  disabled_at: string | null;
  last_used_at: string | null;
}

export interface NewKey {
  id: string;
  serviceAccountId: number;
  createdAt: string;
  expiresAt: string;
}

export function insertKey(db: Db, k: NewKey): void {
  db.prepare(`INSERT INTO access_keys (id, service_account_id, created_at, expires_at) VALUES (?, ?, ?, ?)`).run(
    k.id,
    k.serviceAccountId,
    k.createdAt,
    k.expiresAt,
  );
}

export function keysOf(db: Db, serviceAccountId: number): KeyRow[] {
  return db
    .prepare(`SELECT * FROM access_keys WHERE service_account_id = ? ORDER BY created_at`)
    .all(serviceAccountId) as KeyRow[];
}

/** A service account's keys without the account id, as a deletion snapshot holds them. */
export function keySnapshotsOf(db: Db, serviceAccountId: number): Omit<KeyRow, 'service_account_id'>[] {
  return db
    .prepare(
      `SELECT id, created_at, expires_at, disabled_at, last_used_at FROM access_keys WHERE service_account_id = ?`,
    )
    .all(serviceAccountId) as Omit<KeyRow, 'service_account_id'>[];
}

export function keyIdsOf(db: Db, serviceAccountId: number): string[] {
  return db
    .prepare(`SELECT id FROM access_keys WHERE service_account_id = ?`)
    .pluck()
    .all(serviceAccountId) as string[];
}

export function countKeys(db: Db, serviceAccountId: number): number {
  return db
    .prepare(`SELECT count(*) FROM access_keys WHERE service_account_id = ?`)
    .pluck()
    .get(serviceAccountId) as number;
}

/** A key with its service account's username, which every record about the key names. */
export function findKey(db: Db, keyId: string): (KeyRow & { username: string }) | undefined {
  return db
    .prepare(
      `SELECT k.*, p.username FROM access_keys k JOIN principals p ON p.id = k.service_account_id WHERE k.id = ?`,
    )
    .get(keyId) as (KeyRow & { username: string }) | undefined;
}

/** For checking a key: a key of an account that is not active does not authenticate. */
export function findKeyWithAccount(
  db: Db,
  keyId: string,
): (KeyRow & { username: string; status: PrincipalStatus }) | undefined {
  return cached(
    db,
    `SELECT k.*, p.username, p.status FROM access_keys k JOIN principals p ON p.id = k.service_account_id WHERE k.id = ?`,
  ).get(keyId) as (KeyRow & { username: string; status: PrincipalStatus }) | undefined;
}

/** Null enables the key again. */
export function setKeyDisabledAt(db: Db, keyId: string, disabledAt: string | null): void {
  db.prepare(`UPDATE access_keys SET disabled_at = ? WHERE id = ?`).run(disabledAt, keyId);
}

export function markKeyUsed(db: Db, keyId: string, usedAt: string): void {
  cached(db, `UPDATE access_keys SET last_used_at = ? WHERE id = ?`).run(usedAt, keyId);
}

export function deleteKeyById(db: Db, keyId: string): void {
  db.prepare(`DELETE FROM access_keys WHERE id = ?`).run(keyId);
}

export interface KeyUseRow {
  username: string;
  display_name: string;
  status: PrincipalStatus;
  created_at: string;
  keys: number;
  last_used: string | null;
  /** Keys created before the rotation cutoff; null when the account has no keys. */
  old_keys: number | null;
}

/**
 * Every service account with its keys' use, by username: what R-K13's dormancy and rotation are judged on. An
 * account is used when a program presents one of its access keys, a portal presents its API key (R-A5), or an
 * integration runs through it, whichever was last; keys deleted or rotated since leave their last use behind
 * (`keys_last_used_at`, kept by migration 230's triggers).
 */
export function serviceAccountKeyUse(db: Db, rotationCutoff: string): KeyUseRow[] {
  return db
    .prepare(
      `SELECT p.username, p.display_name, p.status, p.created_at, count(k.id) AS keys,
              nullif(max(coalesce(max(k.last_used_at), ''), coalesce(p.keys_last_used_at, ''),
                         coalesce((SELECT max(i.last_run_at) FROM integrations i WHERE i.service_account = p.username), ''),
                         coalesce((SELECT max(pk.last_used_at) FROM portal_keys pk JOIN portals po ON po.id = pk.portal_id
                                   WHERE po.service_account = p.username), '')),
                     '') AS last_used,
              sum(CASE WHEN k.created_at < ? THEN 1 ELSE 0 END) AS old_keys
       FROM principals p LEFT JOIN access_keys k ON k.service_account_id = p.id
       WHERE p.kind = 'service' GROUP BY p.id ORDER BY p.username`,
    )
    .all(rotationCutoff) as KeyUseRow[];
}

/** Failed checks of a key id since `since` (ISO time), across every process on this database. */
export function countKeyFailures(db: Db, keyId: string, since: string): number {
  return cached(db, `SELECT count(*) FROM access_key_failures WHERE key_id = ? AND failed_at > ?`, 'pluck').get(
    keyId,
    since,
  ) as number;
}

/** A key id's last lock, and how many checks it refused (null: none yet), until they are recorded. */
export interface KeyLock {
  lockedUntil: string;
  refused: number | null;
}

export function keyLock(db: Db, keyId: string): KeyLock | undefined {
  return cached(db, `SELECT locked_until AS lockedUntil, refused FROM access_key_locks WHERE key_id = ?`).get(keyId) as
    KeyLock | undefined;
}

/** Whether a key id is locked at `now` (ISO time). */
export function keyLocked(db: Db, keyId: string, now: string): boolean {
  const lock = keyLock(db, keyId);
  return lock !== undefined && lock.lockedUntil > now;
}

/** Counts one more check refused by the key id's lock; null clears the count once it is recorded. */
export function setRefusedWhileLocked(db: Db, keyId: string, refused: number | null): void {
  db.prepare(`UPDATE access_key_locks SET refused = ? WHERE key_id = ?`).run(refused, keyId);
}

/** Locks a key id until `until`; its failures so far are spent on this lock. */
export function lockKey(db: Db, keyId: string, until: string): void {
  db.prepare(
    `INSERT INTO access_key_locks (key_id, locked_until) VALUES (?, ?)
     ON CONFLICT (key_id) DO UPDATE SET locked_until = excluded.locked_until, refused = NULL`,
  ).run(keyId, until);
  db.prepare(`DELETE FROM access_key_failures WHERE key_id = ?`).run(keyId);
}

/** Records a failed check, and forgets failures older than `forgetBefore`: only the last minute ever counts. */
export function recordKeyFailure(db: Db, keyId: string, at: string, forgetBefore: string): void {
  db.prepare(`DELETE FROM access_key_failures WHERE failed_at <= ?`).run(forgetBefore);
  db.prepare(`INSERT INTO access_key_failures (key_id, failed_at) VALUES (?, ?)`).run(keyId, at);
}
