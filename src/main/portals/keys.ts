// Publishing a portal creates its API key; rotating deletes it; republishing creates the next one (R-A5). Like an
// access key (R-K12), the secret goes to the OS keychain only and is shown once; SQLite keeps the id and dates
// (store/portalKeys.ts). Publish: keychain first, then the row (a database failure takes the secret back), so there
// is never a live key row without its secret. Rotate: the row first (the key stops being live, its id kept as
// retired), then the secret out of the keychain, then the retired id forgotten; a rotation cut after its first step
// leaves the portal "unavailable until republished", as a finished one does, with a secret nothing can use that the
// next publish, rotation or start removes (sweepRetiredSecrets).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DeputyError } from '../kernel/errors';
import { countKeyFailures, keyLocked, lockKey, recordKeyFailure } from '../store/accessKeys';
import { refusedByLock } from '../serviceAccounts/lockedChecks';
import {
  allPortalKeys,
  clearPortalKey,
  findPortalKey,
  forgetRetiredKey,
  markPortalKeyUsed,
  portalKeyOf,
  putPortalKey,
  retiredPortalKeys,
} from '../store/portalKeys';
import { findPrincipal } from '../store/principals';
import { portalNameList } from '../store/portals';
import {
  BLOCKING_WARNINGS,
  LEVEL_LABELS,
  PORTAL_KEY_ID,
  type PortalKey,
  type PublishedPortalKey,
} from '../../shared/portals';
import { getReport, portalTarget, requirePortal } from './manage';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';

/** The keychain account of a portal key's secret. */
export const portalKeyAccount = (keyId: string) => `portal-key:${keyId}`;

async function requireKeychain(app: AppContext, doing: string): Promise<void> {
  const status = await app.vault.status();
  if (!status.available) {
    throw new DeputyError(
      'keychain_unavailable',
      `The OS keychain is unavailable: ${status.reason} Portal keys cannot be ${doing} until it is back. Nothing was ` +
        `changed. ${status.fix}`,
    );
  }
}

/** The Web API authentication view: every portal, its state, and its live key's id and dates. */
export function listPortalKeys(app: AppContext): PortalKey[] {
  const rows = new Map(allPortalKeys(app.db).map((r) => [r.portal, r]));
  return portalNameList(app.db).map((portal) => {
    const r = rows.get(portal);
    return {
      portal,
      state: !r ? 'unpublished' : r.key_id ? 'published' : 'unavailable',
      keyId: r?.key_id ?? null,
      createdAt: r?.created_at ?? null,
      lastUsedAt: r?.last_used_at ?? null,
      rotatedAt: r?.rotated_at ?? null,
      retiredKeyId: r?.retired_key_id ?? null,
    };
  });
}

/**
 * Publishes a portal (or republishes it after a rotation): refused, naming the findings, while any required level is
 * missing or its account cannot serve; refused while a key is live (at most one per portal).
 */
export async function publishPortal(app: AppContext, caller: Caller, name: string): Promise<PublishedPortalKey> {
  const p = requirePortal(app, name);
  const report = getReport(app, name);
  if (report.blocked) {
    const missing = report.findings.filter((f) => f.verdict === 'missing');
    const why = [
      ...missing.map((f) => `${f.object}: needs ${LEVEL_LABELS[f.required.min]} (${f.message})`),
      ...report.warnings.filter((w) => BLOCKING_WARNINGS.includes(w.kind)).map((w) => w.message),
    ];
    // The rule apart from the sentence (ApiError.rule): R-A2's missing grants, else R-A1's account.
    throw new DeputyError(
      'conflict',
      `Portal ${name} cannot be published until ${missing.length ? 'its missing permissions are granted' : 'its service account can serve it'}: ${why.join('; ')}`,
      'name',
      false,
      missing.length ? 'R-A2' : 'R-A1',
    );
  }
  const existing = portalKeyOf(app.db, p.id);
  if (existing?.key_id) {
    throw new DeputyError(
      'conflict',
      `Portal ${name} is published already with key ${existing.key_id}; a portal has one key at a time: rotate it to get a new one.`,
      'name',
    );
  }
  await requireKeychain(app, 'created');
  if (existing?.retired_key_id) await removeRetiredSecret(app, p.id, existing.retired_key_id, 'created');
  const keyId = `DPP${randomBytes(10).toString('hex').toUpperCase()}`;
  const secret = randomBytes(32).toString('base64url');
  const republish = existing !== undefined;
  try {
    await app.vault.set(portalKeyAccount(keyId), secret);
  } catch (err) {
    // The keychain failed after saying it was there: whatever it may have kept is taken back, nothing else was made.
    await app.vault.delete(portalKeyAccount(keyId)).catch(() => undefined);
    throw new DeputyError(
      'keychain_unavailable',
      `The OS keychain failed to store the new key's secret (${reason(err)}); portal ${name} was not published. Nothing was changed.`,
    );
  }
  try {
    app.db.transaction(() => {
      putPortalKey(app.db, p.id, keyId, app.clock().toISOString());
      app.audit.append({
        log: 'history',
        operator: caller.username,
        action: republish ? 'portal.republish' : 'portal.publish',
        target: portalTarget(name),
        message: `${republish ? 'Republished' : 'Published'} portal ${name}: API key ${keyId} created`,
        details: { changes: [{ field: 'apiKey', old: null, new: keyId }] },
      });
    })();
  } catch (err) {
    await app.vault.delete(portalKeyAccount(keyId)).catch(() => undefined);
    throw err;
  }
  return { portal: name, keyId, secret };
}

/**
 * Rotation: the key stops being live in the database first (the portal is unavailable until republished, and the
 * key is refused from this moment), then its secret leaves the keychain. Refused while the keychain is unavailable,
 * so that nothing changes then; if the keychain fails after the first step, the rotation stands and its secret, which
 * no live key names any more, is removed by the next publish or start (the view says so meanwhile).
 */
export async function rotatePortalKey(app: AppContext, caller: Caller, name: string): Promise<PortalKey> {
  const p = requirePortal(app, name);
  const row = portalKeyOf(app.db, p.id);
  if (!row?.key_id) {
    throw new DeputyError(
      'conflict',
      row ? `Portal ${name} has no key: it is unavailable until republished.` : `Portal ${name} is not published.`,
      'name',
    );
  }
  const keyId = row.key_id;
  await requireKeychain(app, 'deleted');
  app.db.transaction(() => {
    clearPortalKey(app.db, p.id, app.clock().toISOString());
    app.audit.append({
      log: 'history',
      operator: caller.username,
      action: 'portal.rotate',
      target: portalTarget(name),
      message: `Rotated portal ${name}: API key ${keyId} deleted; the portal is unavailable until republished`,
      details: { changes: [{ field: 'apiKey', old: keyId, new: null }] },
    });
  })();
  await removeRetiredSecret(app, p.id, keyId, 'deleted').catch(() => undefined);
  return listPortalKeys(app).find((k) => k.portal === name)!;
}

/** Takes a rotated key's secret out of the keychain, then forgets the key; a keychain failure says so. */
async function removeRetiredSecret(app: AppContext, portalId: number, keyId: string, doing: string): Promise<void> {
  try {
    await app.vault.delete(portalKeyAccount(keyId));
  } catch (err) {
    throw new DeputyError(
      'keychain_unavailable',
      `The OS keychain failed to remove rotated key ${keyId}'s secret (${reason(err)}); portal keys cannot be ${doing} until it is back. Nothing was changed.`,
    );
  }
  forgetRetiredKey(app.db, portalId, keyId);
}

/**
 * At start: the secrets of rotations cut short (a crash, the keychain failing) leave the keychain. A keychain that is
 * unavailable now leaves them for later: they authenticate nothing meanwhile, no live key names them.
 */
export async function sweepRetiredSecrets(app: AppContext): Promise<number> {
  let removed = 0;
  for (const r of retiredPortalKeys(app.db)) {
    try {
      await removeRetiredSecret(app, r.portal_id, r.retired_key_id, 'deleted');
      removed++;
    } catch {
      break;
    }
  }
  return removed;
}

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));

const FAILURE_LIMIT = 10;
const WINDOW_MS = 60_000;
const LOCK_MS = 60_000;

/** The keychain half of a portal key check: null when there is no live key of that id (or it is locked). */
export async function readPortalKeySecret(app: AppContext, keyId: string): Promise<string | null> {
  if (keyLocked(app.db, keyId, app.clock().toISOString()) || !findPortalKey(app.db, keyId)) {
    await requireKeychain(app, 'checked');
    return null;
  }
  try {
    return await app.vault.get(portalKeyAccount(keyId));
  } catch (err) {
    throw new DeputyError(
      'keychain_unavailable',
      `The OS keychain is unavailable (${err instanceof Error ? err.message : String(err)}); portal keys cannot be checked until it is back.`,
    );
  }
}

/**
 * The synchronous half: the portal and its service account when the secret matches a live key (constant time, the
 * same work whether or not the key exists), else null with the failure counted (10 in a minute lock the id).
 */
export function settlePortalKeyCheck(
  app: AppContext,
  keyId: string,
  secret: string,
  stored: string | null,
): { portal: string; account: NonNullable<ReturnType<typeof findPrincipal>> } | null {
  const now = app.clock().getTime();
  const nowText = new Date(now).toISOString();
  if (refusedByLock(app, keyId, nowText, { action: 'portalKey.check', label: 'Portal API key' })) return null;
  const k = findPortalKey(app.db, keyId);
  const digest = (s: string) => createHash('sha256').update(s).digest();
  const matches = timingSafeEqual(digest(secret), digest(stored ?? randomBytes(32).toString('base64url')));
  const account = k ? findPrincipal(app.db, k.service_account) : undefined;
  const right = Boolean(k && stored && matches);
  // R-A1: a portal's key only ever authenticates its service account, never a person who got the name since.
  if (k && right && account?.status === 'active' && account.kind === 'service') {
    markPortalKeyUsed(app.db, keyId, nowText);
    return { portal: k.portal, account };
  }
  // The caller is told only "refused"; the record tells the administrator why. The right secret of a key whose account
  // cannot serve is no guess: not counted towards the lock, as an access key of an inactive account is not.
  const why = !k
    ? 'no live key (never issued, or rotated)'
    : !right
      ? 'invalid'
      : !account
        ? `its service account ${k.service_account} no longer exists`
        : account.kind !== 'service'
          ? `${account.username} is not a service account`
          : `its service account ${account.username} is inactive`;
  const refusal = {
    operator: null,
    // The right secret names its account; a wrong one is anyone's guess.
    effectiveUser: right && account?.kind === 'service' ? account.username : null,
    action: 'portalKey.check',
    target: keyId,
    outcome: 'refused' as const,
    message: `Portal API key check refused for ${keyId}: ${why}`,
  };
  if (right) {
    app.audit.append(refusal);
    return null;
  }
  app.db.transaction(() => {
    const windowStart = new Date(now - WINDOW_MS).toISOString();
    const recent = countKeyFailures(app.db, keyId, windowStart);
    recordKeyFailure(app.db, keyId, nowText, windowStart);
    if (recent + 1 >= FAILURE_LIMIT) {
      lockKey(app.db, keyId, new Date(now + LOCK_MS).toISOString());
      // As an access key's lock is (accessKey.lock): when it began, for the administrator reading the log.
      app.audit.append({
        operator: null,
        action: 'portalKey.lock',
        target: keyId,
        outcome: 'refused',
        message: `Portal API key ${keyId} locked for a minute after ${FAILURE_LIMIT} failed checks`,
      });
    }
    app.audit.append(refusal);
  })();
  return null;
}

export const isPortalKeyId = (keyId: string) => PORTAL_KEY_ID.test(keyId);
