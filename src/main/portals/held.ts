// What a principal holds on a design object, from its permission list: pure, like decide(). The facts are plain data
// so the findings and their fixes can be computed, and property-tested, without a database.
import {
  GRANT_LEVELS,
  maxLevel,
  sameGrantee,
  type DesignObject,
  type EntryChange,
  type GrantLevel,
  type HeldEntry,
  type Portal,
} from '../../shared/portals';
import type { PrincipalKind, PrincipalStatus } from '../../shared/model';

export interface PortalFacts {
  /** Design objects by name (names are unique across kinds). */
  objects: ReadonlyMap<string, DesignObject>;
  portals: readonly Portal[];
  principals: ReadonlyMap<string, { kind: PrincipalKind; status: PrincipalStatus }>;
  /** principal username → its groups (system groups such as Service Account included). */
  groupsOf: ReadonlyMap<string, readonly string[]>;
  /**
   * Set when the facts were loaded for one portal (portals/facts.ts): what each of its account's groups and Default
   * (All Other Users) grant, by grantee key (portals/grantees.ts), as a count and the first names, since the objects
   * they grant are then not all loaded. Absent, the objects say it.
   */
  reach?: ReadonlyMap<string, ReachSummary>;
}

export interface ReachSummary {
  count: number;
  /** By name; at least as many as the report can skip (the account's needed and denied objects) plus the examples. */
  first: readonly string[];
}

export interface Held {
  /** Deny when any entry reaching the principal denies (it wins); else the highest level reached, or null. */
  actual: GrantLevel | 'deny' | null;
  held: HeldEntry[];
}

const isGrant = (l: string): l is GrantLevel => (GRANT_LEVELS as readonly string[]).includes(l);

/**
 * Every entry reaching `username` on `object`: its own, its groups', and Default (All Other Users), which reaches
 * everyone — service accounts included (R-A3) — on top of what they hold otherwise.
 */
export function heldBy(facts: PortalFacts, username: string, object: DesignObject): Held {
  const groups = new Set(facts.groupsOf.get(username) ?? []);
  const held: HeldEntry[] = [];
  for (const e of object.permissions) {
    const g = e.grantee;
    if (g.type === 'user' && g.name === username) held.push({ level: e.level, how: { via: 'direct' } });
    else if (g.type === 'group' && groups.has(g.name))
      held.push({ level: e.level, how: { via: 'group', group: g.name } });
    else if (g.type === 'default') held.push({ level: e.level, how: { via: 'default' } });
  }
  if (held.some((h) => h.level === 'deny')) return { actual: 'deny', held };
  let actual: GrantLevel | null = null;
  for (const h of held) if (isGrant(h.level)) actual = actual ? maxLevel(actual, h.level) : h.level;
  return { actual, held };
}

/** The object with its permission list changed: an entry set, replaced, or (to null) removed. */
export function withChange(object: DesignObject, change: EntryChange): DesignObject {
  const rest = object.permissions.filter((e) => !sameGrantee(e.grantee, change.grantee));
  const at = object.permissions.findIndex((e) => sameGrantee(e.grantee, change.grantee));
  if (change.to === null) return { ...object, permissions: rest };
  const entry = { grantee: change.grantee, level: change.to };
  const permissions = [...object.permissions];
  if (at >= 0) permissions[at] = entry;
  else permissions.push(entry);
  return { ...object, permissions };
}

/** The facts after a fix: what the service applies to the database, applied to plain data. */
export function applyChanges(facts: PortalFacts, changes: readonly EntryChange[]): PortalFacts {
  const objects = new Map(facts.objects);
  for (const c of changes) {
    const o = objects.get(c.object);
    if (o) objects.set(c.object, withChange(o, c));
  }
  // Without `reach`: a loaded summary would no longer be true. Facts changed here hold every object (the tests' do).
  return { objects, portals: facts.portals, principals: facts.principals, groupsOf: facts.groupsOf };
}
