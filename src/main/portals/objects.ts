// Design objects and their permission lists: created, changed and deleted by the account administrators (the
// `serviceAccount.update` guard, R-K1's Super Admin and IAM Admin: these lists decide what service accounts reach).
// Every change is one History record with each entry's old → new level; an entry taken off the list, and a deleted
// object whole, go to the Record Deletion Log too, so they can be restored.
import { DeputyError } from '../kernel/errors';
import { recordDeletion } from '../deletions/record';
import { describeGrant, type Grant } from '../deletions/grants';
import { findPrincipal } from '../store/principals';
import { findGroup } from '../store/groups';
import {
  allDesignObjects,
  deleteDesignObject,
  findDesignObject,
  insertDesignObject,
  putPermissions,
  type StoredDesignObject,
} from '../store/designObjects';
import { portalsUsing } from '../store/portals';
import {
  KIND_LABELS,
  LEVEL_LABELS,
  granteeLabel,
  levelsOf,
  sameGrantee,
  type DesignObject,
  type DesignObjectKind,
  type PermissionEntry,
} from '../../shared/portals';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';
import type { Db } from '../kernel/ports';

const view = ({ id: _id, ...o }: StoredDesignObject): DesignObject => o;
export const objectTarget = (name: string) => `designObject:${name}`;

export function requireDesignObject(app: AppContext, name: string, field = 'name'): StoredDesignObject {
  const o = findDesignObject(app.db, name);
  if (!o) throw new DeputyError('not_found', `There is no design object named ${name}.`, field);
  return o;
}

export const listDesignObjects = (app: AppContext): DesignObject[] => allDesignObjects(app.db).map(view);

/**
 * The list as the directory spells its people and groups (usernames and group names match without case, as
 * everywhere in the directory, so `JDoe` names jdoe and is kept as `jdoe`), or null for a grantee who does not exist.
 */
export function canonicalEntries(db: Db, entries: readonly PermissionEntry[]): (PermissionEntry | null)[] {
  return entries.map((e) => {
    const g = e.grantee;
    if (g.type === 'default') return e;
    const name = g.type === 'user' ? findPrincipal(db, g.name)?.username : findGroup(db, g.name)?.name;
    return name === undefined ? null : { grantee: { type: g.type, name }, level: e.level };
  });
}

/**
 * Refuses a list naming someone who does not exist, a level the kind has not, or one grantee twice; answers the list
 * as the directory spells its grantees.
 */
function checkPermissions(db: Db, kind: DesignObjectKind, entries: readonly PermissionEntry[]): PermissionEntry[] {
  const canonical = canonicalEntries(db, entries);
  return entries.map((e, i) => {
    const field = `permissions.${i}`;
    const g = e.grantee;
    const entry = canonical[i];
    if (!entry) {
      throw new DeputyError(
        'not_found',
        `There is no ${g.type === 'user' ? 'user' : 'group'} named ${'name' in g ? g.name : ''}.`,
        `${field}.grantee`,
      );
    }
    if (!levelsOf(kind).includes(e.level)) {
      throw new DeputyError(
        'invalid_input',
        `A ${KIND_LABELS[kind]} has no ${LEVEL_LABELS[e.level]} level; Initiator is for process models only.`,
        `${field}.level`,
      );
    }
    if (canonical.findIndex((x) => x !== null && sameGrantee(x.grantee, entry.grantee)) !== i)
      throw new DeputyError('invalid_input', `${granteeLabel(entry.grantee)} is listed twice.`, `${field}.grantee`);
    return entry;
  });
}

/** Each grantee whose level differs, old → new (null: no entry). */
export function permissionChanges(before: readonly PermissionEntry[], after: readonly PermissionEntry[]) {
  const grantees = [...before, ...after].map((e) => e.grantee);
  const unique = grantees.filter((g, i) => grantees.findIndex((x) => sameGrantee(x, g)) === i);
  const levelIn = (list: readonly PermissionEntry[], g: PermissionEntry['grantee']) =>
    list.find((e) => sameGrantee(e.grantee, g))?.level ?? null;
  return unique
    .map((g) => ({ field: granteeLabel(g), old: levelIn(before, g), new: levelIn(after, g) }))
    .filter((c) => c.old !== c.new);
}

const describeChanges = (changes: ReturnType<typeof permissionChanges>) =>
  changes
    .map((c) => `${c.field}: ${c.old ? LEVEL_LABELS[c.old] : 'none'} → ${c.new ? LEVEL_LABELS[c.new] : 'none'}`)
    .join(', ');

export function createDesignObject(app: AppContext, caller: Caller, o: DesignObject): DesignObject {
  if (findDesignObject(app.db, o.name))
    throw new DeputyError('conflict', `A design object named ${o.name} exists already.`, 'name');
  const permissions = checkPermissions(app.db, o.kind, o.permissions);
  return app.db.transaction(() => {
    insertDesignObject(app.db, { ...o, permissions }, app.clock().toISOString());
    const changes = permissionChanges([], permissions);
    app.audit.append({
      log: 'history',
      operator: caller.username,
      action: 'designObject.create',
      target: objectTarget(o.name),
      message: `Created ${KIND_LABELS[o.kind]} ${o.name}${changes.length ? ` (${describeChanges(changes)})` : ''}`,
      details: { changes: [{ field: 'kind', old: null, new: o.kind }, ...changes] },
    });
    return view(requireDesignObject(app, o.name));
  })();
}

/**
 * Writes an object's new list with its History record (each entry's old → new level); the entries it takes off go to
 * the Record Deletion Log as well, restorable one by one (R-L1). `why` says what asked for it (a portal's fix).
 */
export function writePermissions(
  app: AppContext,
  caller: Caller,
  o: StoredDesignObject,
  permissions: readonly PermissionEntry[],
  why?: { portal: string; finding: string },
): void {
  const changes = permissionChanges(o.permissions, permissions);
  const removed = o.permissions.filter((e) => !permissions.some((p) => sameGrantee(p.grantee, e.grantee)));
  const because = why ? ` (fix for portal ${why.portal}: ${why.finding})` : '';
  putPermissions(app.db, o.id, permissions);
  app.audit.append({
    log: 'history',
    operator: caller.username,
    action: 'designObject.permissions',
    target: objectTarget(o.name),
    message: `${o.name}: ${describeChanges(changes)}${because}`,
    details: { changes, ...(why ? { fixFor: why } : {}) },
  });
  if (removed.length) {
    const grants = removed.map((e): Grant => ({
      type: 'designObjectEntry',
      object: o.name,
      grantee: e.grantee,
      level: e.level,
    }));
    recordDeletion(app, caller, {
      deleted: 'grants',
      snapshot: { grants },
      action: 'designObject.permissions',
      target: objectTarget(o.name),
      message: `Removed ${grants.map(describeGrant).join('; ')}${because}`,
    });
  }
}

export function setPermissions(
  app: AppContext,
  caller: Caller,
  name: string,
  permissions: PermissionEntry[],
): DesignObject {
  const o = requireDesignObject(app, name);
  const entries = checkPermissions(app.db, o.kind, permissions);
  if (permissionChanges(o.permissions, entries).length === 0 && o.permissions.length === entries.length)
    throw new DeputyError('conflict', `${o.name} holds this permission list already.`);
  return app.db.transaction(() => {
    writePermissions(app, caller, o, entries);
    return view(requireDesignObject(app, name));
  })();
}

export function deleteDesignObjectNamed(app: AppContext, caller: Caller, name: string): void {
  const o = requireDesignObject(app, name);
  const users = portalsUsing(app.db, o.id);
  if (users.length) {
    throw new DeputyError(
      'conflict',
      `${o.name} is used by portal ${users.join(', ')}; take it out of ${users.length > 1 ? 'those portals' : 'that portal'} first.`,
      'name',
    );
  }
  app.db.transaction(() => {
    deleteDesignObject(app.db, o.id);
    recordDeletion(app, caller, {
      deleted: 'designObject',
      snapshot: { object: view(o) },
      action: 'designObject.delete',
      target: objectTarget(o.name),
      message: `Deleted ${KIND_LABELS[o.kind]} ${o.name} (${o.permissions.length} permission ${o.permissions.length === 1 ? 'entry' : 'entries'})`,
    });
  })();
}
