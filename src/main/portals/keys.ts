// Publishing a portal creates its API key; rotating deletes it; republishing creates the next one (R-A5). Like an
// access key (R-K12), the secret goes to the OS keychain only and is shown once; SQLite keeps the id and dates
// (store/portalKeys.ts). Keychain first on publish (a database failure takes the secret back), keychain first on
// rotate (a keychain failure changes nothing): never a key row without its secret, never a secret without its row.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DeputyError } from '../kernel/errors';
import { countKeyFailures, keyLocked, lockKey, recordKeyFailure } from '../store/accessKeys';
import {
  allPortalKeys,
  clearPortalKey,
  findPortalKey,
  markPortalKeyUsed,
  portalKeyOf,
  putPortalKey,
} from '../store/portalKeys';
import { findPrincipal } from '../store/principals';
import { allPortals } from '../store/portals';
import { LEVEL_LABELS, PORTAL_KEY_ID, type PortalKey, type PublishedPortalKey } from '../../shared/portals';
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
  return allPortals(app.db).map((p) => {
    const r = rows.get(p.name);
    return {
      portal: p.name,
      state: !r ? 'unpublished' : r.key_id ? 'published' : 'unavailable',
      keyId: r?.key_id ?? null,
      createdAt: r?.created_at ?? null,
      lastUsedAt: r?.last_used_at ?? null,
      rotatedAt: r?.rotated_at ?? null,
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
    const why = [
      ...report.findings
        .filter((f) => f.verdict === 'missing')
        .map((f) => `${f.object}: needs ${LEVEL_LABELS[f.required.min]} (${f.message})`),
      ...report.warnings.filter((w) => w.kind === 'account_not_service').map((w) => w.message),
    ];
    throw new DeputyError(
      'conflict',
      `Portal ${name} cannot be published until its missing permissions are granted: ${why.join('; ')}`,
      'name',
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
  const keyId = `DPP${randomBytes(10).toString('hex').toUpperCase()}`;
  const secret = randomBytes(32).toString('base64url');
  const republish = existing !== undefined;
  await app.vault.set(portalKeyAccount(keyId), secret);
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
 * Rotation: the live key is deleted (keychain first, so a keychain failure changes nothing) and the portal is
 * unavailable until republished. What is left between the two steps is consistent: no key, no secret.
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
  await app.vault.delete(portalKeyAccount(keyId));
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
  return listPortalKeys(app).find((k) => k.portal === name)!;
}

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
  if (keyLocked(app.db, keyId, nowText)) return null;
  const k = findPortalKey(app.db, keyId);
  const digest = (s: string) => createHash('sha256').update(s).digest();
  const matches = timingSafeEqual(digest(secret), digest(stored ?? randomBytes(32).toString('base64url')));
  const account = k ? findPrincipal(app.db, k.service_account) : undefined;
  if (k && stored && matches && account?.status === 'active') {
    markPortalKeyUsed(app.db, keyId, nowText);
    return { portal: k.portal, account };
  }
  app.db.transaction(() => {
    const windowStart = new Date(now - WINDOW_MS).toISOString();
    const recent = countKeyFailures(app.db, keyId, windowStart);
    recordKeyFailure(app.db, keyId, nowText, windowStart);
    if (recent + 1 >= FAILURE_LIMIT) lockKey(app.db, keyId, new Date(now + LOCK_MS).toISOString());
    app.audit.append({
      operator: null,
      action: 'portalKey.check',
      target: keyId,
      outcome: 'refused',
      message: `Portal API key check refused for ${keyId}: ${k ? 'invalid' : 'no live key (never issued, or rotated)'}`,
    });
  })();
  return null;
}

export const isPortalKeyId = (keyId: string) => PORTAL_KEY_ID.test(keyId);
