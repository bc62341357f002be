// The portals repository: each portal's service account and the objects each of its use cases uses (portals,
// portal_uses). Objects are read from design_objects by name.
import type { Db } from '../kernel/ports';
import type { Portal, PortalUse, UseCase } from '../../shared/portals';

export interface StoredPortal extends Portal {
  id: number;
}

interface UseRow {
  portal_id: number;
  use_case: UseCase;
  object: string;
}

function withUses(db: Db, rows: { id: number; name: string; service_account: string }[]): StoredPortal[] {
  const uses = db
    .prepare(
      `SELECT u.portal_id, u.use_case, o.name AS object FROM portal_uses u JOIN design_objects o ON o.id = u.object_id
       ORDER BY u.portal_id, u.use_case, o.name`,
    )
    .all() as UseRow[];
  const byPortal = new Map<number, PortalUse[]>();
  for (const u of uses) {
    const list = byPortal.get(u.portal_id) ?? [];
    const use = list.find((x) => x.useCase === u.use_case);
    if (use) use.objects.push(u.object);
    else list.push({ useCase: u.use_case, objects: [u.object] });
    byPortal.set(u.portal_id, list);
  }
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    serviceAccount: r.service_account,
    uses: byPortal.get(r.id) ?? [],
  }));
}

/** Every portal, by name. */
export function allPortals(db: Db): StoredPortal[] {
  return withUses(
    db,
    db.prepare(`SELECT id, name, service_account FROM portals ORDER BY name`).all() as {
      id: number;
      name: string;
      service_account: string;
    }[],
  );
}

export function findPortal(db: Db, name: string): StoredPortal | undefined {
  return allPortals(db).find((p) => p.name === name);
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
