// What each portal service account needs on each object, over every portal it serves and every use case there
// (R-A2). A level one use case needs is never "more than needed" for another use case of the same account on the
// same object: uploading to a folder needs Editor even if displaying from it needs only Viewer.
import { USE_CASE_TABLE, maxLevel, type GrantLevel, type Portal, type UseCase } from '../../shared/portals';
import type { PortalFacts } from './held';

export interface Need {
  /** The level every use case is satisfied with: the highest of their minimums. */
  min: GrantLevel;
  /** The highest level some use case accepts; above it is more than needed. */
  max: GrantLevel;
}

/** What each portal account needs on each object, asked either way round. */
export interface Needs {
  of(account: string, object: string): Need | undefined;
  /** account → what it needs on `object`, for every portal account that uses it, accounts in name order. */
  accountsNeeding(object: string): ReadonlyMap<string, Need>;
  /** Every object some use case of `account`'s portals needs. */
  objectsOf(account: string): ReadonlySet<string>;
}

/** One requirement a portal's use case puts on one object: the rows of the report. */
export interface Row {
  useCase: UseCase;
  object: string;
  min: GrantLevel;
  max: GrantLevel;
}

/** The rows of a portal: each use case, each object it uses of a kind the use case needs. */
export function rowsOf(facts: PortalFacts, portal: Portal): Row[] {
  const rows: Row[] = [];
  for (const use of portal.uses) {
    for (const name of use.objects) {
      const kind = facts.objects.get(name)?.kind;
      const req = USE_CASE_TABLE[use.useCase].needs.find((n) => n.kind === kind);
      if (req) rows.push({ useCase: use.useCase, object: name, min: req.min, max: req.max });
    }
  }
  return rows;
}

export function needsOf(facts: PortalFacts): Needs {
  const byObject = new Map<string, Map<string, Need>>();
  const byAccount = new Map<string, Set<string>>();
  for (const portal of facts.portals) {
    for (const row of rowsOf(facts, portal)) {
      const objects = byAccount.get(portal.serviceAccount) ?? new Set<string>();
      byAccount.set(portal.serviceAccount, objects.add(row.object));
      const accounts = byObject.get(row.object) ?? new Map<string, Need>();
      byObject.set(row.object, accounts);
      const was = accounts.get(portal.serviceAccount);
      accounts.set(
        portal.serviceAccount,
        was ? { min: maxLevel(was.min, row.min), max: maxLevel(was.max, row.max) } : { min: row.min, max: row.max },
      );
    }
  }
  // Name order, so that a report lists the accounts a fix keeps whole in the same order whatever else was loaded.
  const sorted = new Map<string, ReadonlyMap<string, Need>>();
  const none: ReadonlyMap<string, Need> = new Map();
  const noObjects: ReadonlySet<string> = new Set();
  return {
    objectsOf: (account) => byAccount.get(account) ?? noObjects,
    of: (account, object) => byObject.get(object)?.get(account),
    accountsNeeding(object) {
      let accounts = sorted.get(object);
      if (!accounts) {
        const all = byObject.get(object);
        accounts = all ? new Map([...all].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : none;
        sorted.set(object, accounts);
      }
      return accounts;
    },
  };
}
