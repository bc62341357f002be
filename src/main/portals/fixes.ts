// The one-click fixes, as permission-list changes computed from the facts (pure). Their semantics are chosen so that
// (property-tested in test/unit/portals.properties.test.ts):
// - a fix never leaves any portal's service account missing a level it had and needs: lowering a group's or the
//   Default entry would also lower every other account reached through it, so each portal account that would fall
//   below what it needs (and had) gets a direct entry at what it had, capped at the most it needs ("compensation");
// - a fix never raises anyone above what they need: it lowers to the most the account's use cases accept, and
//   compensation is capped the same way; so fixes applied one after another end, with no fixable finding left.
// People other than portal accounts who held a level through a lowered group or Default entry lose it: that is the
// least-privilege point of the fix, and its label says which entry changes.
import {
  LEVEL_LABELS,
  granteeLabel,
  minLevel,
  rank,
  sameGrantee,
  type DesignObject,
  type EntryChange,
  type Fix,
  type GrantLevel,
  type Grantee,
  type Via,
} from '../../shared/portals';
import { heldBy, withChange, type PortalFacts } from './held';
import type { Needs } from './needs';

const granteeOf = (account: string, how: Via): Grantee =>
  how.via === 'direct'
    ? { type: 'user', name: account }
    : how.via === 'group'
      ? { type: 'group', name: how.group }
      : { type: 'default' };

const levelOf = (object: DesignObject, g: Grantee) => object.permissions.find((e) => sameGrantee(e.grantee, g))?.level;

/**
 * Direct entries that keep every portal account at what it had and needs on `object` after `lowered` applies (see
 * the module comment). An account already denied, or never reaching a level, gets nothing.
 */
function compensation(facts: PortalFacts, needs: Needs, object: string, lowered: EntryChange[]): EntryChange[] {
  const before = facts.objects.get(object);
  if (!before) return [];
  // Every lowered entry is on this object: the object after them, without copying the facts.
  const after = lowered.reduce(withChange, before);
  const changes: EntryChange[] = [];
  for (const [account, need] of needs.accountsNeeding(object)) {
    const had = heldBy(facts, account, before).actual;
    if (had === null || had === 'deny') continue;
    const keep = minLevel(had, need.max);
    const now = heldBy(facts, account, after).actual;
    if (now === 'deny' || (now !== null && rank(now) >= rank(keep))) continue;
    const direct: Grantee = { type: 'user', name: account };
    changes.push({ object, grantee: direct, from: levelOf(after, direct) ?? null, to: keep });
  }
  return changes;
}

const describe = (c: EntryChange): string =>
  c.to === null
    ? `take ${granteeLabel(c.grantee)} off ${c.object}`
    : c.from === null
      ? `give ${granteeLabel(c.grantee)} ${LEVEL_LABELS[c.to]} on ${c.object}`
      : `change ${granteeLabel(c.grantee)} on ${c.object}: ${LEVEL_LABELS[c.from]} → ${LEVEL_LABELS[c.to]}`;

function fixOf(lowered: EntryChange[], kept: EntryChange[]): Fix {
  const main = lowered.map(describe).join('; ');
  const label = kept.length
    ? `${main}; and, so that other portals keep what they need: ${kept.map(describe).join('; ')}`
    : main;
  return { label: label.charAt(0).toUpperCase() + label.slice(1), changes: [...lowered, ...kept] };
}

/** More than needed: every entry reaching `account` above the most it needs comes down to that level. */
export function lowerFix(facts: PortalFacts, needs: Needs, account: string, object: DesignObject): Fix | null {
  const need = needs.of(account, object.name);
  if (!need) return null;
  const lowered: EntryChange[] = [];
  for (const h of heldBy(facts, account, object).held) {
    if (h.level === 'deny' || rank(h.level) <= rank(need.max)) continue;
    lowered.push({ object: object.name, grantee: granteeOf(account, h.how), from: h.level, to: need.max });
  }
  return lowered.length ? fixOf(lowered, compensation(facts, needs, object.name, lowered)) : null;
}

/**
 * Not needed (R-A2): the account's own entry comes off. It reaches no one else, so no other portal's account needs
 * keeping whole; what a group or Default gives is theirs to decide (the reach warnings), not this fix's.
 */
export function removeOwnFix(account: string, object: string, level: GrantLevel): Fix {
  return fixOf([{ object, grantee: { type: 'user', name: account }, from: level, to: null }], []);
}

/**
 * Missing: a direct entry at the least level every use case of the account accepts. None while a Deny reaches the
 * account: a Deny wins over any entry, and lifting it is a decision about everyone it names, not a portal's fix.
 */
export function grantFix(facts: PortalFacts, needs: Needs, account: string, object: DesignObject): Fix | null {
  const need = needs.of(account, object.name);
  if (!need || heldBy(facts, account, object).actual === 'deny') return null;
  const direct: Grantee = { type: 'user', name: account };
  const from = levelOf(object, direct) ?? null;
  return fixOf([{ object: object.name, grantee: direct, from, to: need.min }], []);
}

/** R-A3: Default (All Other Users) leaves the record type; portal accounts that relied on it get direct entries. */
export function defaultFix(facts: PortalFacts, needs: Needs, object: DesignObject): Fix | null {
  const from = levelOf(object, { type: 'default' });
  if (from === undefined || from === 'deny') return null;
  const lowered: EntryChange[] = [{ object: object.name, grantee: { type: 'default' }, from, to: null }];
  return fixOf(lowered, compensation(facts, needs, object.name, lowered));
}
