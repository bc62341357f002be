// Access keys (R-K12): the secret goes to the OS keychain only and is shown once; SQLite keeps the id,
// dates and state. Checks compare in constant time; repeated failures lock a key id for a minute.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { DeputyError } from '../kernel/errors';
import { readSettings } from '../store/settings';
import { requireServiceAccount } from './accounts';
import { forgetVerified, rememberVerified, secretDigest, verifiedDigest } from './verifiedSecrets';
import { refusedByLock } from './lockedChecks';
import {
  countKeys,
  deleteKeyById,
  findKey,
  findKeyWithAccount,
  insertKey,
  keyIdsOf,
  keysOf,
  markKeyUsed,
  setKeyDisabledAt,
  type KeyRow,
  countKeyFailures,
  keyLocked,
  lockKey,
  recordKeyFailure,
} from '../store/accessKeys';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';
import type { AccessKey, KeyCheck, NewAccessKey } from '../../shared/model';

export const MAX_KEYS = 50;
export const MIN_DAYS = 1;
export const MAX_DAYS = 730;
const DAY = 86_400_000;
const account = (keyId: string) => `access-key:${keyId}`;

async function requireKeychain(app: AppContext): Promise<void> {
  const status = await app.vault.status();
  if (!status.available) {
    throw new DeputyError(
      'keychain_unavailable',
      `The OS keychain is unavailable: ${status.reason} Keys cannot be created, deleted or checked until it is back; ` +
        `nothing was changed. ${status.fix}`,
    );
  }
}

export function listKeys(app: AppContext, caller: Caller, username: string): AccessKey[] {
  const sa = requireServiceAccount(app, username);
  const now = app.clock().getTime();
  const { keyRotationDays } = readSettings(app.db);
  return keysOf(app.db, sa.id).map((k) => ({
    id: k.id,
    createdAt: k.created_at,
    expiresAt: k.expires_at,
    disabled: k.disabled_at !== null,
    expired: Date.parse(k.expires_at) <= now,
    dueForRotation: now - Date.parse(k.created_at) > keyRotationDays * DAY,
    lastUsedAt: k.last_used_at,
  }));
}

export async function createKey(
  app: AppContext,
  caller: Caller,
  username: string,
  days: number,
): Promise<NewAccessKey> {
  const sa = requireServiceAccount(app, username);
  if (countKeys(app.db, sa.id) >= MAX_KEYS)
    throw new DeputyError('conflict', `${username} already has ${MAX_KEYS} keys, the most allowed; delete one first.`);
  await requireKeychain(app);
  const id = `DPK${randomBytes(10).toString('hex').toUpperCase()}`;
  const secret = randomBytes(32).toString('base64url');
  const now = app.clock();
  const expiresAt = new Date(now.getTime() + days * DAY).toISOString();
  // Keychain first: if it fails, nothing is written; if the database then fails, the secret is taken back.
  await app.vault.set(account(id), secret);
  try {
    app.db.transaction(() => {
      insertKey(app.db, { id, serviceAccountId: sa.id, createdAt: now.toISOString(), expiresAt });
      app.audit.append({
        log: 'history',
        operator: caller.username,
        action: 'accessKey.create',
        target: username,
        message: `Created access key ${id} for ${username}, expires ${expiresAt.slice(0, 10)}`,
        details: { field: 'accessKey', keyId: id, old: null, new: { expiresAt } },
      });
    })();
  } catch (err) {
    await app.vault.delete(account(id)).catch(() => undefined);
    throw err;
  }
  return { id, secret, expiresAt };
}

function requireKey(app: AppContext, keyId: string): KeyRow & { username: string } {
  const k = findKey(app.db, keyId);
  if (!k) throw new DeputyError('not_found', `There is no access key ${keyId}.`, 'keyId');
  return k;
}

export function setKeyEnabled(app: AppContext, caller: Caller, keyId: string, enabled: boolean): void {
  const k = requireKey(app, keyId);
  if ((k.disabled_at === null) === enabled)
    throw new DeputyError('conflict', `Key ${keyId} is already ${enabled ? 'enabled' : 'disabled'}.`);
  app.db.transaction(() => {
    setKeyDisabledAt(app.db, keyId, enabled ? null : app.clock().toISOString());
    app.audit.append({
      log: 'history',
      operator: caller.username,
      action: enabled ? 'accessKey.enable' : 'accessKey.disable',
      target: k.username,
      message: `Access key ${keyId} of ${k.username} ${enabled ? 'enabled' : 'disabled'}`,
      details: {
        field: 'accessKey',
        keyId,
        old: enabled ? 'disabled' : 'enabled',
        new: enabled ? 'enabled' : 'disabled',
      },
    });
  })();
}

export async function deleteKey(app: AppContext, caller: Caller, keyId: string): Promise<void> {
  const k = requireKey(app, keyId);
  await requireKeychain(app);
  // The secret leaves the keychain first: if that fails, nothing changes.
  await app.vault.delete(account(keyId));
  forgetVerified(app, [keyId]);
  app.db.transaction(() => {
    deleteKeyById(app.db, keyId);
    app.audit.append({
      log: 'record_deletion',
      operator: caller.username,
      action: 'accessKey.delete',
      target: k.username,
      message: `Deleted access key ${keyId} of ${k.username}`,
      details: { snapshot: { table: 'access_keys', row: k } },
    });
  })();
}

/** Deletes every key of an account from the keychain (before the account itself goes). */
export async function deleteAllKeySecrets(app: AppContext, serviceAccountId: number): Promise<string[]> {
  const ids = keyIdsOf(app.db, serviceAccountId);
  if (ids.length) await requireKeychain(app);
  for (const id of ids) await app.vault.delete(account(id));
  forgetVerified(app, ids);
  return ids;
}

const SECRET_MISSING =
  ' (its secret is not in the OS keychain: it was deleted there, so this key can never authenticate again; delete ' +
  'the key and create a new one)';

const FAILURE_LIMIT = 10;
const WINDOW_MS = 60_000;
const LOCK_MS = 60_000;

/**
 * What the keychain holds for a key id, as a digest, read before the check is settled: the one step of a key check
 * that waits (a keychain round trip), so the service API awaits it per request and settles the check with the call
 * itself, in the batch its writes commit with (store/groupCommit.ts). Null: no secret, or no key to look one up for.
 * `reuse`: a long-running server's program calls, which may take the digest of a secret matched within the last
 * minute instead of asking the keychain again (verifiedSecrets.ts); a one-off check always asks.
 */
export interface KeySecret {
  digest: Buffer | null;
  reuse: boolean;
}

/**
 * The keychain half of a key check. A locked or unknown key id costs no keychain read. A key that exists costs one
 * round trip, the read itself, not a status check before it: the status (keytar's findCredentials) reads every
 * secret of this database, and the two made the keychain most of a program call's cost (test/bench/serviceApi.ts).
 */
export async function readKeySecret(app: AppContext, keyId: string, reuse = false): Promise<KeySecret> {
  // A digest matched within the minute needs no keychain read, so no look at the key's row first either: the row,
  // lock and failures are judged when the check settles, as for every check.
  const verified = reuse ? verifiedDigest(app, keyId, app.clock().getTime()) : null;
  if (verified) {
    // A keychain locked or gone since stops its keys too, as a read would (its status costs a D-Bus call a second).
    await requireKeychain(app);
    return { digest: verified, reuse };
  }
  const locked = keyLocked(app.db, keyId, app.clock().toISOString());
  if (locked || !findKeyWithAccount(app.db, keyId)) {
    await requireKeychain(app); // unavailable is said even when there is nothing to read
    return { digest: null, reuse }; // settled as locked or invalid
  }
  try {
    const stored = await app.vault.get(account(keyId));
    return { digest: stored === null ? null : secretDigest(stored), reuse };
  } catch (err) {
    if (err instanceof DeputyError && err.code === 'keychain_unavailable') throw err;
    throw new DeputyError(
      'keychain_unavailable',
      `The OS keychain is unavailable: ${err instanceof Error ? err.message : String(err)} Keys cannot be ` +
        `created or checked until it is back.`,
    );
  }
}

/** How a key check settled; a valid key's service account with it (the check has just read the key's row). */
export interface KeyVerdict {
  check: KeyCheck;
  account: string | null;
}

/**
 * The synchronous half: valid, invalid, expired, disabled, or locked after repeated failures, with its writes (last
 * use, or the failure, the lock and their records). The key's row, lock and failures are read here, after the
 * keychain answered, so a key disabled or locked meanwhile is judged as it is now.
 */
export function settleKeyCheck(app: AppContext, keyId: string, secret: string, stored: KeySecret): KeyVerdict {
  const now = app.clock().getTime();
  // In SQLite, not in memory: every process on this database (window, serve, each CLI run) counts the same failures.
  const nowText = new Date(now).toISOString();
  if (refusedByLock(app, keyId, nowText, { action: 'accessKey.check', label: 'Access key' })) {
    return { check: 'locked', account: null };
  }
  const windowStart = new Date(now - WINDOW_MS).toISOString();

  const k = findKeyWithAccount(app.db, keyId);
  // Constant time, and the same work whether or not the key exists.
  const expected = stored.digest ?? secretDigest(randomBytes(32).toString('base64url'));
  const matches = timingSafeEqual(secretDigest(secret), expected);
  let result: KeyCheck =
    !k || !stored.digest || !matches
      ? 'invalid'
      : k.disabled_at || k.status !== 'active'
        ? 'disabled'
        : Date.parse(k.expires_at) <= now
          ? 'expired'
          : 'valid';

  if (result === 'valid') {
    if (stored.reuse) rememberVerified(app, keyId, expected, now);
    markKeyUsed(app.db, keyId, new Date(now).toISOString());
    return { check: result, account: k!.username };
  }
  const check = app.db.transaction((): KeyCheck => {
    if (result === 'invalid') {
      // Counted here, with this failure's insert, not before: nothing can count in between.
      const recent = countKeyFailures(app.db, keyId, windowStart);
      recordKeyFailure(app.db, keyId, nowText, windowStart);
      if (recent + 1 >= FAILURE_LIMIT) {
        result = 'locked';
        lockKey(app.db, keyId, new Date(now + LOCK_MS).toISOString());
        app.audit.append({
          operator: null,
          action: 'accessKey.lock',
          target: keyId,
          outcome: 'refused',
          message: `Access key ${keyId} locked for a minute after ${FAILURE_LIMIT} failed checks`,
        });
      }
    }
    app.audit.append({
      operator: null,
      effectiveUser: k?.username ?? null,
      action: 'accessKey.check',
      target: keyId,
      outcome: 'refused',
      // The program is told only "refused"; the record tells the administrator when the keychain lost the secret.
      message: `Access key check refused for ${keyId}: ${result}${k && !stored.digest ? SECRET_MISSING : ''}`,
    });
    return result;
  })();
  return { check, account: null };
}

/** `deputy auth check`: valid, invalid, expired, disabled, or locked after repeated failures. */
export async function checkKey(app: AppContext, keyId: string, secret: string): Promise<KeyCheck> {
  return settleKeyCheck(app, keyId, secret, await readKeySecret(app, keyId)).check;
}
