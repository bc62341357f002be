// The design objects' and portals' sections of a policy bundle (designObjects[], portals[]): permission lists, and
// each portal's service account and use cases — never an API key. Written after the service accounts and groups
// their permission lists and portals name. Moving a portal to another environment needs its service account there
// with the same username and group memberships (R-A4): the portals' plan reports each difference as drift. Object and
// portal names are exact, as in the database; usernames and group names are matched without case, as elsewhere, and
// written as the directory spells them.
import { byName, conflict, key, type BundleSection } from '../bundles/section';
import { findDesignObject, allDesignObjects, insertDesignObject, putPermissions } from '../store/designObjects';
import { allPortals, findPortal, insertPortal, putPortalUses, setPortalAccount } from '../store/portals';
import { publishedAccountChange } from './references';
import {
  KIND_LABELS,
  LEVEL_LABELS,
  USE_CASES,
  USE_CASE_TABLE,
  granteeLabel,
  type PermissionEntry,
  type PortalUse,
} from '../../shared/portals';
import type { Bundle } from '../../shared/bundle';
import { findPrincipal } from '../store/principals';
import { canonicalEntries } from './objects';

type PortalEntry = NonNullable<Bundle['portals']>[number];

const entriesText = (entries: readonly PermissionEntry[]) =>
  entries.length ? entries.map((e) => `${granteeLabel(e.grantee)} ${LEVEL_LABELS[e.level]}`).join(', ') : '(none)';

const sortedUses = (uses: readonly PortalUse[]): PortalUse[] =>
  [...uses]
    .sort((a, b) => USE_CASES.indexOf(a.useCase) - USE_CASES.indexOf(b.useCase))
    .map((u) => ({ useCase: u.useCase, objects: [...u.objects].sort(byName) }));

const usesText = (uses: readonly PortalUse[]) =>
  sortedUses(uses)
    .map((u) => `${USE_CASE_TABLE[u.useCase].label}: ${u.objects.join(', ')}`)
    .join('; ') || '(none)';

export const designObjectsSection: BundleSection<'designObjects'> = {
  key: 'designObjects',
  export(db) {
    return allDesignObjects(db)
      .sort((a, b) => byName(a.name, b.name))
      .map(({ name, kind, permissions }) => ({ name, kind, permissions }));
  },
  plan(current, next, out) {
    const objects = new Map((current.designObjects ?? []).map((o) => [o.name, o]));
    for (const o of next.designObjects ?? []) {
      const old = objects.get(o.name);
      if (old && old.kind !== o.kind)
        throw conflict(`${o.name} is a ${KIND_LABELS[old.kind]} here, but a ${KIND_LABELS[o.kind]} in the bundle.`);
      const [was, now] = [entriesText(old?.permissions ?? []), entriesText(o.permissions)];
      out.diff(`design object ${o.name}`, old, [
        ...(old ? [] : [`kind: ${KIND_LABELS[o.kind]}`]),
        ...(key(was) !== key(now) ? [`permissions: ${was} → ${now}`] : []),
      ]);
    }
  },
  write(app, next, { now }) {
    for (const o of next.designObjects ?? []) {
      // The people and groups are written first; entries take their spelling here (a bundle's `JDoe` is jdoe).
      const permissions = canonicalEntries(app.db, o.permissions).map((e, i) => e ?? o.permissions[i]!);
      const old = findDesignObject(app.db, o.name);
      if (old) putPermissions(app.db, old.id, permissions);
      else insertDesignObject(app.db, { ...o, permissions }, now);
    }
  },
};

/** R-A4: what differs here for the service accounts the bundle's portals need. */
function planDrift(current: Bundle, next: Bundle, out: Parameters<BundleSection<'portals'>['plan']>[2]): void {
  const needing = new Map<string, { account: string; portals: string[] }>();
  // The account as the bundle's serviceAccounts[] spells it (or this directory does): a portal may name it in any case.
  const spelt = (name: string) =>
    [...next.serviceAccounts, ...current.serviceAccounts].find((s) => key(s.username) === key(name))?.username ?? name;
  for (const p of next.portals ?? []) {
    const entry = needing.get(key(p.serviceAccount)) ?? { account: spelt(p.serviceAccount), portals: [] };
    entry.portals.push(p.name);
    needing.set(key(p.serviceAccount), entry);
  }
  const groupsWith = (b: Bundle, account: string) =>
    b.groups.filter((g) => g.members.some((m) => key(m) === key(account))).map((g) => g.name);
  const list = (xs: readonly string[]) => (xs.length ? [...xs].sort(byName).join(', ') : '(none)');
  for (const { account, portals } of [...needing.values()].sort((a, b) => byName(a.account, b.account))) {
    const names = `portal${portals.length > 1 ? 's' : ''} ${portals.join(', ')}`;
    const here = current.serviceAccounts.find((s) => key(s.username) === key(account));
    if (!here) {
      const wanted = next.serviceAccounts.find((s) => key(s.username) === key(account))?.displayName ?? '';
      const namesake = wanted
        ? current.serviceAccounts.find((s) => s.displayName.toLowerCase() === wanted.toLowerCase())
        : undefined;
      out.drift(
        namesake
          ? {
              id: `username:${account}`,
              kind: 'username_differs',
              account,
              portals,
              message: `${names} needs service account ${account}; here the service account named "${namesake.displayName}" is ${namesake.username}: the usernames differ. Give it the same username, or accept and the import creates ${account} beside it.`,
            }
          : {
              id: `missing:${account}`,
              kind: 'missing_account',
              account,
              portals,
              message: `${names} needs service account ${account}, which is not here. Create it with the same username and group memberships, or accept and the import creates it.`,
            },
      );
      continue;
    }
    const [was, then] = [list(groupsWith(current, account)), list(groupsWith(next, account))];
    if (was !== then) {
      out.drift({
        id: `groups:${account}`,
        kind: 'groups_differ',
        account,
        portals,
        message: `Service account ${account} (for ${names}) is in groups ${was} here, and ${then} in the bundle. Make the memberships match, or accept the difference.`,
      });
    }
  }
}

export const portalsSection: BundleSection<'portals'> = {
  key: 'portals',
  export(db) {
    return allPortals(db)
      .sort((a, b) => byName(a.name, b.name))
      .map((p) => ({ name: p.name, serviceAccount: p.serviceAccount, uses: sortedUses(p.uses) }));
  },
  plan(current, next, out) {
    const portals = new Map((current.portals ?? []).map((p) => [p.name, p]));
    for (const p of next.portals ?? []) {
      const old: PortalEntry | undefined = portals.get(p.name);
      out.diff(`portal ${p.name}`, old, [
        ...(old === undefined || key(old.serviceAccount) !== key(p.serviceAccount)
          ? [`service account: ${old?.serviceAccount ?? '(none)'} → ${p.serviceAccount}`]
          : []),
        ...(usesText(old?.uses ?? []) !== usesText(p.uses)
          ? [`use cases: ${usesText(old?.uses ?? [])} → ${usesText(p.uses)}`]
          : []),
      ]);
    }
    planDrift(current, next, out);
  },
  write(app, next, { now }) {
    for (const bundled of next.portals ?? []) {
      const serviceAccount = findPrincipal(app.db, bundled.serviceAccount)?.username ?? bundled.serviceAccount;
      const p = { ...bundled, serviceAccount };
      const old = findPortal(app.db, p.name);
      if (!old) {
        insertPortal(app.db, p, now);
        continue;
      }
      const published = publishedAccountChange(app, old, p.serviceAccount); // as in the console
      if (published) throw conflict(`${published} (R-A5)`);
      setPortalAccount(app.db, old.id, p.serviceAccount);
      putPortalUses(app.db, old.id, p.uses);
    }
  },
};
