// The portal keys repository (R-A5): each published portal's live key id and dates, or none after a rotation
// (portal_keys). The secret is never here, only in the OS keychain. Portals are read by name.
import type { Db } from '../kernel/ports';
import { cached } from './statements';

export interface PortalKeyRow {
  portal_id: number;
  portal: string;
  key_id: string | null;
  created_at: string | null;
  last_used_at: string | null;
  published_at: string;
  rotated_at: string | null;
  /** A rotated key whose secret the keychain may still hold (its removal was cut short); never a live key. */
  retired_key_id: string | null;
}

const SELECT = `SELECT k.*, p.name AS portal FROM portal_keys k JOIN portals p ON p.id = k.portal_id`;

/** Every published (or rotated) portal's key row, by portal name. */
export function allPortalKeys(db: Db): PortalKeyRow[] {
  return db.prepare(`${SELECT} ORDER BY p.name`).all() as PortalKeyRow[];
}

export function portalKeyOf(db: Db, portalId: number): PortalKeyRow | undefined {
  return db.prepare(`${SELECT} WHERE k.portal_id = ?`).get(portalId) as PortalKeyRow | undefined;
}

/** The live key with this id, with its portal's name and service account (for checking a presented key). */
export function findPortalKey(db: Db, keyId: string): (PortalKeyRow & { service_account: string }) | undefined {
  return cached(
    db,
    `SELECT k.*, p.name AS portal, p.service_account FROM portal_keys k JOIN portals p ON p.id = k.portal_id
     WHERE k.key_id = ?`,
  ).get(keyId) as (PortalKeyRow & { service_account: string }) | undefined;
}

/** Publishing: the portal's one live key (a republish replaces the rotated row's empty key). */
export function putPortalKey(db: Db, portalId: number, keyId: string, now: string): void {
  db.prepare(
    `INSERT INTO portal_keys (portal_id, key_id, created_at, published_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (portal_id) DO UPDATE SET key_id = excluded.key_id, created_at = excluded.created_at,
       last_used_at = NULL`,
  ).run(portalId, keyId, now, now);
}

/**
 * Rotation's first step: the key is no longer live (the portal is unavailable until republished); its id moves to
 * retired_key_id until its secret is out of the keychain.
 */
export function clearPortalKey(db: Db, portalId: number, now: string): void {
  db.prepare(
    `UPDATE portal_keys SET retired_key_id = key_id, key_id = NULL, created_at = NULL, last_used_at = NULL,
       rotated_at = ? WHERE portal_id = ?`,
  ).run(now, portalId);
}

/** Rotated keys whose secrets may still be in the keychain, with their portals. */
export function retiredPortalKeys(db: Db): { portal_id: number; retired_key_id: string }[] {
  return db.prepare(`SELECT portal_id, retired_key_id FROM portal_keys WHERE retired_key_id IS NOT NULL`).all() as {
    portal_id: number;
    retired_key_id: string;
  }[];
}

/** Rotation's last step: the rotated key's secret is out of the keychain. */
export function forgetRetiredKey(db: Db, portalId: number, keyId: string): void {
  db.prepare(`UPDATE portal_keys SET retired_key_id = NULL WHERE portal_id = ? AND retired_key_id = ?`).run(
    portalId,
    keyId,
  );
}

export function markPortalKeyUsed(db: Db, keyId: string, usedAt: string): void {
  cached(db, `UPDATE portal_keys SET last_used_at = ? WHERE key_id = ?`).run(usedAt, keyId);
}

/** The portal's live key id, if it has one. */
export function liveKeyOf(db: Db, portalId: number): string | null {
  return (
    (db.prepare(`SELECT key_id FROM portal_keys WHERE portal_id = ?`).pluck().get(portalId) as string | null) ?? null
  );
}
