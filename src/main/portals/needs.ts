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

/** account → object → what it needs there. */
export type Needs = ReadonlyMap<string, ReadonlyMap<string, Need>>;

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
  const needs = new Map<string, Map<string, Need>>();
  for (const portal of facts.portals) {
    const mine = needs.get(portal.serviceAccount) ?? new Map<string, Need>();
    needs.set(portal.serviceAccount, mine);
    for (const row of rowsOf(facts, portal)) {
      const was = mine.get(row.object);
      mine.set(
        row.object,
        was ? { min: maxLevel(was.min, row.min), max: maxLevel(was.max, row.max) } : { min: row.min, max: row.max },
      );
    }
  }
  return needs;
}
