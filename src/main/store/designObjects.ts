// The design objects repository: record types, process models, document folders, data stores and web APIs, with their
// permission lists (design_objects, design_object_permissions).
import type { Db } from '../kernel/ports';
import { cached } from './statements';
import type {
  DesignObject,
  DesignObjectKind,
  Grantee,
  PermissionEntry,
  PermissionLevel,
  ReachSource,
} from '../../shared/portals';

interface EntryRow {
  object_id: number;
  grantee_type: Grantee['type'];
  grantee_name: string;
  level: PermissionLevel;
}

const toEntry = (r: EntryRow): PermissionEntry => ({
  grantee: r.grantee_type === 'default' ? { type: 'default' } : { type: r.grantee_type, name: r.grantee_name },
  level: r.level,
});

export interface StoredDesignObject extends DesignObject {
  id: number;
}

function withPermissions(
  db: Db,
  rows: { id: number; name: string; kind: DesignObjectKind }[],
  where = '',
  ...params: unknown[]
): StoredDesignObject[] {
  const entries = cached(
    db,
    `SELECT object_id, grantee_type, grantee_name, level FROM design_object_permissions ${where} ORDER BY object_id, position`,
  ).all(...params) as EntryRow[];
  const byObject = new Map<number, PermissionEntry[]>();
  for (const e of entries) {
    const list = byObject.get(e.object_id);
    if (list) list.push(toEntry(e));
    else byObject.set(e.object_id, [toEntry(e)]);
  }
  return rows.map((r) => ({ ...r, permissions: byObject.get(r.id) ?? [] }));
}

/** The objects some portal uses, with their permission lists, by name: all that the portals' findings look at. */
export function designObjectsInUse(db: Db): StoredDesignObject[] {
  const inUse = `IN (SELECT object_id FROM portal_uses)`;
  const rows = db.prepare(`SELECT id, name, kind FROM design_objects WHERE id ${inUse} ORDER BY name`).all() as {
    id: number;
    name: string;
    kind: DesignObjectKind;
  }[];
  return withPermissions(db, rows, `WHERE object_id ${inUse}`);
}

/**
 * The objects (of one kind, or of every kind for null) whose permission list has an entry reaching one of `usernames`
 * (their own entry, an entry for one of `groups`, or Default (All Other Users)), each with its whole list: what an
 * account holds there needs every entry that reaches it, and the objects without one are nothing to it. Seeks on the
 * grantee index, one per name.
 */
export function designObjectsReaching(
  db: Db,
  kind: DesignObjectKind | null,
  usernames: readonly string[],
  groups: readonly string[],
): StoredDesignObject[] {
  // Every portal report runs it (the account's reach): compiled once per connection.
  const rows = cached(
    db,
    `SELECT id, name, kind FROM design_objects WHERE (? IS NULL OR kind = ?) AND id IN (
         SELECT object_id FROM design_object_permissions WHERE grantee_type = 'default'
         UNION SELECT object_id FROM design_object_permissions
           WHERE grantee_type = 'user' AND grantee_name IN (SELECT value FROM json_each(?))
         UNION SELECT object_id FROM design_object_permissions
           WHERE grantee_type = 'group' AND grantee_name IN (SELECT value FROM json_each(?))
       ) ORDER BY name`,
  ).all(kind, kind, JSON.stringify(usernames), JSON.stringify(groups)) as {
    id: number;
    name: string;
    kind: DesignObjectKind;
  }[];
  const ids = JSON.stringify(rows.map((r) => r.id));
  return withPermissions(db, rows, `WHERE object_id IN (SELECT value FROM json_each(?))`, ids);
}

/**
 * The objects with an entry for `username` itself, or a Deny for one of `groups` or Default (All Other Users), each
 * with its whole list: where one account's own entries are, and where it holds nothing whatever else it is given.
 * Seeks on the grantee index; an account has a few such entries, where Default alone grants hundreds of objects.
 */
export function designObjectsOwnOrDenied(db: Db, username: string, groups: readonly string[]): StoredDesignObject[] {
  const rows = cached(
    db,
    `SELECT id, name, kind FROM design_objects WHERE id IN (
       SELECT object_id FROM design_object_permissions WHERE grantee_type = 'user' AND grantee_name = ?
       UNION SELECT object_id FROM design_object_permissions
         WHERE grantee_type = 'group' AND grantee_name IN (SELECT value FROM json_each(?)) AND level = 'deny'
       UNION SELECT object_id FROM design_object_permissions
         WHERE grantee_type = 'default' AND grantee_name = '' AND level = 'deny'
     ) ORDER BY name`,
  ).all(username, JSON.stringify(groups)) as { id: number; name: string; kind: DesignObjectKind }[];
  const ids = JSON.stringify(rows.map((r) => r.id));
  return withPermissions(db, rows, `WHERE object_id IN (SELECT value FROM json_each(?))`, ids);
}

/**
 * How many objects the entries of one group, or of Default (All Other Users), grant a level on, and the first `limit`
 * of them by name: what a portal's reach warning says of it (R-A2), counted by SQLite on the grantee index rather than
 * read row by row.
 */
export function grantsOf(db: Db, grantee: ReachSource, limit: number): { count: number; first: string[] } {
  const name = grantee.type === 'default' ? '' : grantee.name;
  const count = cached(
    db,
    `SELECT count(*) FROM design_object_permissions WHERE grantee_type = ? AND grantee_name = ? AND level <> 'deny'`,
    'pluck',
  ).get(grantee.type, name) as number;
  const first = cached(
    db,
    `SELECT o.name FROM design_object_permissions p JOIN design_objects o ON o.id = p.object_id
     WHERE p.grantee_type = ? AND p.grantee_name = ? AND p.level <> 'deny' ORDER BY o.name LIMIT ?`,
    'pluck',
  ).all(grantee.type, name, limit) as string[];
  return { count, first };
}

/** The objects with an entry for this user or group, by name (the grantee index: a seek). */
export function objectsNaming(db: Db, granteeType: 'user' | 'group', name: string): string[] {
  return db
    .prepare(
      `SELECT o.name FROM design_object_permissions p JOIN design_objects o ON o.id = p.object_id
       WHERE p.grantee_type = ? AND p.grantee_name = ? ORDER BY o.name`,
    )
    .pluck()
    .all(granteeType, name) as string[];
}

/** Every design object with its permission list, by name. */
export function allDesignObjects(db: Db): StoredDesignObject[] {
  const rows = db.prepare(`SELECT id, name, kind FROM design_objects ORDER BY name`).all() as {
    id: number;
    name: string;
    kind: DesignObjectKind;
  }[];
  return withPermissions(db, rows);
}

export function findDesignObject(db: Db, name: string): StoredDesignObject | undefined {
  const row = cached(db, `SELECT id, name, kind FROM design_objects WHERE name = ?`).get(name) as
    { id: number; name: string; kind: DesignObjectKind } | undefined;
  return row && { ...row, permissions: permissionsOf(db, row.id) };
}

/** One object's permission list, in its order. */
export function permissionsOf(db: Db, objectId: number): PermissionEntry[] {
  const entries = cached(
    db,
    `SELECT object_id, grantee_type, grantee_name, level FROM design_object_permissions WHERE object_id = ? ORDER BY position`,
  ).all(objectId) as EntryRow[];
  return entries.map(toEntry);
}

/** The named objects that exist, with their permission lists: one index seek each. */
export function designObjectsNamed(db: Db, names: Iterable<string>): StoredDesignObject[] {
  const found: StoredDesignObject[] = [];
  for (const name of new Set(names)) {
    const o = findDesignObject(db, name);
    if (o) found.push(o);
  }
  return found;
}

/** Replaces an object's permission list, keeping the order given. */
export function putPermissions(db: Db, objectId: number, entries: readonly PermissionEntry[]): void {
  db.prepare(`DELETE FROM design_object_permissions WHERE object_id = ?`).run(objectId);
  const insert = db.prepare(
    `INSERT INTO design_object_permissions (object_id, grantee_type, grantee_name, level, position) VALUES (?, ?, ?, ?, ?)`,
  );
  entries.forEach((e, i) =>
    insert.run(objectId, e.grantee.type, e.grantee.type === 'default' ? '' : e.grantee.name, e.level, i),
  );
}

export function insertDesignObject(db: Db, o: DesignObject, now: string): number {
  const id = Number(
    db.prepare(`INSERT INTO design_objects (name, kind, created_at) VALUES (?, ?, ?)`).run(o.name, o.kind, now)
      .lastInsertRowid,
  );
  putPermissions(db, id, o.permissions);
  return id;
}

/** Its permission list goes with it (ON DELETE CASCADE); a portal using it holds it (the service checks first). */
export function deleteDesignObject(db: Db, id: number): void {
  db.prepare(`DELETE FROM design_objects WHERE id = ?`).run(id);
}
