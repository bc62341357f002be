// The portals repository: each portal's service account and the objects each of its use cases uses (portals,
// portal_uses). Objects are read from design_objects by name.
import type { Db } from '../kernel/ports';
import { cached } from './statements';
import type { Portal, PortalUse, UseCase } from '../../shared/portals';

export interface StoredPortal extends Portal {
  id: number;
}

interface UseRow {
  portal_id: number;
  use_case: UseCase;
  object: string;
}

interface PortalRow {
  id: number;
  name: string;
  service_account: string;
}

/** Groups use rows (ordered by portal, use case, object) into each portal's use cases. */
function usesByPortal(uses: readonly UseRow[]): Map<number, PortalUse[]> {
  const byPortal = new Map<number, PortalUse[]>();
  for (const u of uses) {
    const list = byPortal.get(u.portal_id) ?? [];
    const use = list.find((x) => x.useCase === u.use_case);
    if (use) use.objects.push(u.object);
    else list.push({ useCase: u.use_case, objects: [u.object] });
    byPortal.set(u.portal_id, list);
  }
  return byPortal;
}

const toPortal = (r: PortalRow, uses: Map<number, PortalUse[]>): StoredPortal => ({
  id: r.id,
  name: r.name,
  serviceAccount: r.service_account,
  uses: uses.get(r.id) ?? [],
});

/** SQLite's default (BINARY) order, so these lists sort as ORDER BY does. */
const binary = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const USES = `SELECT u.portal_id, u.use_case, o.name AS object FROM portal_uses u JOIN design_objects o ON o.id = u.object_id`;

/** Every portal, by name. */
export function allPortals(db: Db): StoredPortal[] {
  const rows = db.prepare(`SELECT id, name, service_account FROM portals ORDER BY name`).all() as PortalRow[];
  const uses = usesByPortal(db.prepare(`${USES} ORDER BY u.portal_id, u.use_case, o.name`).all() as UseRow[]);
  return rows.map((r) => toPortal(r, uses));
}

/** One portal by its name (an index seek), with its use cases. */
export function findPortal(db: Db, name: string): StoredPortal | undefined {
  const row = cached(db, `SELECT id, name, service_account FROM portals WHERE name = ?`).get(name) as
    PortalRow | undefined;
  if (!row) return undefined;
  const uses = cached(db, `${USES} WHERE u.portal_id = ? ORDER BY u.use_case, o.name`).all(row.id) as UseRow[];
  return toPortal(row, usesByPortal(uses));
}

/**
 * What one portal's report needs to know of the others (portals/facts.ts): the portals its service account serves,
 * and every portal using one of `objectIds`, each with only its uses of those objects. Index seeks only
 * (portals_service_account, portal_uses_object).
 */
export function portalsAround(db: Db, account: string, objectIds: readonly number[]): StoredPortal[] {
  const rows = new Map<number, PortalRow>();
  const sameAccount = cached(db, `SELECT id, name, service_account FROM portals WHERE service_account = ?`);
  for (const r of sameAccount.all(account) as PortalRow[]) rows.set(r.id, r);
  const using = cached(
    db,
    `SELECT u.portal_id, u.use_case, o.name AS object, p.name, p.service_account FROM portal_uses u
     JOIN design_objects o ON o.id = u.object_id JOIN portals p ON p.id = u.portal_id WHERE u.object_id = ?`,
  );
  const uses: UseRow[] = [];
  for (const id of objectIds) {
    for (const r of using.all(id) as (UseRow & { name: string; service_account: string })[]) {
      uses.push({ portal_id: r.portal_id, use_case: r.use_case, object: r.object });
      rows.set(r.portal_id, { id: r.portal_id, name: r.name, service_account: r.service_account });
    }
  }
  uses.sort((a, b) => a.portal_id - b.portal_id || binary(a.use_case, b.use_case) || binary(a.object, b.object));
  const byPortal = usesByPortal(uses);
  return [...rows.values()].sort((a, b) => binary(a.name, b.name)).map((r) => toPortal(r, byPortal));
}

/**
 * The names of the objects the portals `account` serves use, over all of them: what it needs is the sum of their use
 * cases (index seeks: portals_service_account, then each portal's uses).
 */
export function objectNamesUsedBy(db: Db, account: string): string[] {
  return cached(
    db,
    `SELECT DISTINCT o.name FROM portals p JOIN portal_uses u ON u.portal_id = p.id
     JOIN design_objects o ON o.id = u.object_id WHERE p.service_account = ?`,
    'pluck',
  ).all(account) as string[];
}

/** The portals whose service account `account` is, by name. */
export function portalsOfAccount(db: Db, account: string): string[] {
  return db
    .prepare(`SELECT name FROM portals WHERE service_account = ? ORDER BY name`)
    .pluck()
    .all(account) as string[];
}

/** Every portal's name, by name. */
export function portalNameList(db: Db): string[] {
  return db.prepare(`SELECT name FROM portals ORDER BY name`).pluck().all() as string[];
}

/** The portals whose use cases use the object with this row id, by name. */
export function portalsUsing(db: Db, objectId: number): string[] {
  return db
    .prepare(
      `SELECT DISTINCT p.name FROM portal_uses u JOIN portals p ON p.id = u.portal_id WHERE u.object_id = ? ORDER BY p.name`,
    )
    .pluck()
    .all(objectId) as string[];
}

/** Replaces a portal's use cases; every object named must exist (the service checks first). */
export function putPortalUses(db: Db, portalId: number, uses: readonly PortalUse[]): void {
  db.prepare(`DELETE FROM portal_uses WHERE portal_id = ?`).run(portalId);
  const insert = db.prepare(
    `INSERT INTO portal_uses (portal_id, use_case, object_id) SELECT ?, ?, id FROM design_objects WHERE name = ?`,
  );
  for (const u of uses) for (const o of u.objects) insert.run(portalId, u.useCase, o);
}

export function insertPortal(db: Db, p: Portal, now: string): number {
  const id = Number(
    db
      .prepare(`INSERT INTO portals (name, service_account, created_at) VALUES (?, ?, ?)`)
      .run(p.name, p.serviceAccount, now).lastInsertRowid,
  );
  putPortalUses(db, id, p.uses);
  return id;
}

export function setPortalAccount(db: Db, portalId: number, serviceAccount: string): void {
  db.prepare(`UPDATE portals SET service_account = ? WHERE id = ?`).run(serviceAccount, portalId);
}

/** Its use cases go with it (ON DELETE CASCADE). */
export function deletePortal(db: Db, id: number): void {
  db.prepare(`DELETE FROM portals WHERE id = ?`).run(id);
}
