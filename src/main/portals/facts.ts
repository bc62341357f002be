// The facts the findings read, loaded from the database and the directory snapshot decide() reads. The findings stay
// one pure function over them (findings.ts); what differs is how much is loaded: the whole organisation for the
// organisation's report, only what one portal's report can look at, by index seeks, for one portal, or only the
// record types an account reaches, for the account's record-type view. Beyond the objects its account's use cases name,
// a portal's report looks at the account's own entries and at what its groups and Default (All Other Users) give it
// (R-A2, least privilege: portals/grantees.ts).
import {
  allDesignObjects,
  designObjectsInUse,
  designObjectsNamed,
  designObjectsOwnOrDenied,
  designObjectsReaching,
  grantsOf,
} from '../store/designObjects';
import { allPortals, objectNamesUsedBy, portalsAround } from '../store/portals';
import type { AppContext } from '../kernel/context';
import { REACH_EXAMPLES, type Portal } from '../../shared/portals';
import { granteeKey, reachSources } from './grantees';
import type { PortalFacts } from './held';
import type { StoredDesignObject } from '../store/designObjects';

/** The lists' objects by name, once each (an object a use case names may reach the account too). */
const byName = (...lists: StoredDesignObject[][]): Map<string, StoredDesignObject> =>
  new Map(lists.flat().map((o) => [o.name, o]));

const withoutIds = (objects: Map<string, StoredDesignObject>): PortalFacts['objects'] =>
  new Map([...objects].map(([name, { id: _id, ...o }]) => [name, o]));

/**
 * Every design object and portal: the reference the narrower loads below are checked against
 * (test/unit/portals.slice.test.ts, the portals bench).
 */
export function loadFacts(app: AppContext): PortalFacts {
  const policy = app.policy();
  return {
    objects: withoutIds(byName(allDesignObjects(app.db))),
    portals: allPortals(app.db).map(({ id: _id, ...p }) => p),
    principals: policy.principals,
    groupsOf: policy.groupsOf,
  };
}

/**
 * The facts of one account's record-type view: only the record types with an entry reaching it (an object without one
 * is nothing to it), not the whole organisation's objects.
 */
export function loadAccountFacts(app: AppContext, account: string): PortalFacts {
  const policy = app.policy();
  const groups = policy.groupsOf.get(account) ?? [];
  return {
    objects: withoutIds(byName(designObjectsReaching(app.db, 'record_type', [account], groups))),
    portals: [],
    principals: policy.principals,
    groupsOf: policy.groupsOf,
  };
}

/**
 * What every portal's report reads: every portal, the objects some portal uses, and the objects with an entry reaching
 * some portal's service account (the findings speak of no other; in an organisation most objects serve no portal).
 */
export function loadOrganisationFacts(app: AppContext): PortalFacts {
  const policy = app.policy();
  const portals = allPortals(app.db).map(({ id: _id, ...p }) => p);
  const accounts = [...new Set(portals.map((p) => p.serviceAccount))];
  const groups = [...new Set(accounts.flatMap((a) => policy.groupsOf.get(a) ?? []))];
  return {
    objects: withoutIds(byName(designObjectsInUse(app.db), designObjectsReaching(app.db, null, accounts, groups))),
    portals,
    principals: policy.principals,
    groupsOf: policy.groupsOf,
  };
}

/**
 * What `portal`'s report reads, and nothing else: the objects its account's portals use, the objects with the account's
 * own entry and those where a Deny reaches it (their kinds and whole permission lists); how many objects each of the
 * account's groups and Default (All Other Users) grant, with the first of their names (`reach`: Default alone grants
 * hundreds, which one report must not read one by one); the portals its service account serves (the shared-account
 * warning, and what the account needs across them); and every portal using one of the used objects, with only its
 * uses of them (what each of their accounts needs there, which a fix's compensation keeps). Every need, verdict and
 * fix of the report is about one of those objects, so this gives the report the whole organisation's facts give:
 * test/unit/portals.slice.test.ts checks it on a generated organisation.
 */
export function loadPortalFacts(app: AppContext, portal: Portal): PortalFacts {
  const policy = app.policy();
  const account = portal.serviceAccount;
  const groups = policy.groupsOf.get(account) ?? [];
  const used = designObjectsNamed(app.db, [
    ...portal.uses.flatMap((u) => u.objects),
    ...objectNamesUsedBy(app.db, account),
  ]);
  const own = designObjectsOwnOrDenied(app.db, account, groups);
  const objects = byName(used, own);
  // A reach warning skips the account's needed and denied objects, all among these: past them, the examples.
  const limit = REACH_EXAMPLES + objects.size;
  const sources = reachSources(groups);
  const portals = portalsAround(
    app.db,
    account,
    used.map((o) => o.id),
  );
  return {
    objects: withoutIds(objects),
    portals: portals.map(({ id: _id, ...p }) => p),
    principals: policy.principals,
    groupsOf: policy.groupsOf,
    reach: new Map(sources.map((g) => [granteeKey(g), grantsOf(app.db, g, limit)])),
  };
}
