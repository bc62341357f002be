// Who each permission entry names, over the facts' objects: built once per facts and kept beside them, so that a
// portal's report looks only at its account's own entries, its groups' and Default's (R-A2), never at every object.
// A thousand portals' reports over one organisation's facts then cost what their accounts' entries cost.
import { sameGrantee, type GrantLevel, type Grantee, type ReachSource } from '../../shared/portals';
import type { PortalFacts } from './held';

export interface GranteeEntries {
  /** The objects where the grantee's entry grants a level, by name (binary order), with that level. */
  grants: readonly { object: string; level: GrantLevel }[];
  /** The same objects' names, to count an exclusion without walking the list. */
  granted: ReadonlySet<string>;
  /** The objects where the grantee's entry is a Deny. */
  denied: ReadonlySet<string>;
}

export interface GranteeIndex {
  of(grantee: Grantee): GranteeEntries;
}

/** A grantee as one string: the key of `PortalFacts.reach`. */
export const granteeKey = (g: Grantee): string => (g.type === 'default' ? 'default' : `${g.type}:${g.name}`);

const NONE: GranteeEntries = { grants: [], granted: new Set(), denied: new Set() };

// Keyed by the facts object itself: facts are never changed in place (a fix's facts are a new object), so an index
// can never outlive what it was built from.
const built = new WeakMap<PortalFacts, GranteeIndex>();

export function granteesOf(facts: PortalFacts): GranteeIndex {
  const known = built.get(facts);
  if (known) return known;
  const raw = new Map<string, { object: string; level: GrantLevel | 'deny' }[]>();
  for (const o of facts.objects.values()) {
    for (const e of o.permissions) {
      const key = granteeKey(e.grantee);
      const list = raw.get(key);
      if (list) list.push({ object: o.name, level: e.level });
      else raw.set(key, [{ object: o.name, level: e.level }]);
    }
  }
  // Sorted and split on first use: most grantees (people) are never asked about.
  const ready = new Map<string, GranteeEntries>();
  const index: GranteeIndex = {
    of(grantee) {
      const key = granteeKey(grantee);
      let entries = ready.get(key);
      if (!entries) {
        const grants: { object: string; level: GrantLevel }[] = [];
        const denied = new Set<string>();
        for (const { object, level } of raw.get(key) ?? []) {
          if (level === 'deny') denied.add(object);
          else grants.push({ object, level });
        }
        grants.sort((a, b) => (a.object < b.object ? -1 : a.object > b.object ? 1 : 0));
        entries =
          grants.length || denied.size ? { grants, granted: new Set(grants.map((g) => g.object)), denied } : NONE;
        ready.set(key, entries);
      }
      return entries;
    },
  };
  built.set(facts, index);
  return index;
}

/** Where a reach warning's grants come from: each of the account's groups (by name), then Default (All Other Users). */
export const reachSources = (groups: readonly string[]): ReachSource[] => [
  ...[...groups].sort().map((name) => ({ type: 'group' as const, name })),
  { type: 'default' as const },
];

/** What a group or Default grants, as a reach warning reads it. */
export interface SourceGrants {
  /** How many objects its entries grant a level on. */
  count: number;
  /** Whether it grants a level on `object`; asked only of objects the facts hold whole (needed or denied ones). */
  grants(object: string): boolean;
  /** The first `n` of those objects, by name. */
  first(n: number): readonly string[];
}

/** From the loaded summary when the facts have one (one portal's), else from the grantee index over the objects. */
export function sourceGrants(facts: PortalFacts, source: ReachSource): SourceGrants {
  const loaded = facts.reach?.get(granteeKey(source));
  if (loaded) {
    return {
      count: loaded.count,
      grants: (object) =>
        facts.objects.get(object)?.permissions.some((e) => sameGrantee(e.grantee, source) && e.level !== 'deny') ??
        false,
      first: (n) => loaded.first.slice(0, n),
    };
  }
  const { grants, granted } = granteesOf(facts).of(source);
  return {
    count: grants.length,
    grants: (object) => granted.has(object),
    first: (n) => grants.slice(0, n).map((g) => g.object),
  };
}
