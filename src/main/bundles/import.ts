// Applies a bundle: everything it names is made to match it, all or nothing, one History record per
// change. Principals, groups and flows it does not name are left as they are (and said so). Each section
// plans and writes itself (bundles/sections.ts); this walks them.
import { exportBundle } from './export';
import { BUNDLE_SECTIONS } from './sections';
import { decide } from '../policy/decide';
import { requestFor } from '../policy/authorize';
import { factsWithRules, type Decision } from '../../shared/policy';
import {
  grantPlace,
  grantsOfDesignObject,
  grantsOfFlow,
  grantsOfGroup,
  grantsOfPrincipal,
  type Grant,
} from '../deletions/grants';
import { findPrincipal } from '../store/principals';
import { findGroup } from '../store/groups';
import { findFlow } from '../store/flows';
import { findDesignObject } from '../store/designObjects';
import type { Db } from '../kernel/ports';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';
import type { Bundle, BundleChange, DriftItem, ImportPlan } from '../../shared/bundle';

export interface Refusal {
  change: string;
  decision: Decision;
}

/** The changes of the import that decide() does not allow the caller, asked as the console asks them. */
function refusals(app: AppContext, caller: Caller, current: Bundle, next: Bundle): Refusal[] {
  const found: Refusal[] = [];
  for (const section of BUNDLE_SECTIONS) {
    for (const { change, permission } of section.needs?.(current, next) ?? []) {
      const decision = decide(app.policy(), requestFor(caller, permission.action, permission.resource));
      if (!decision.allowed) found.push({ change, decision });
    }
  }
  return found;
}

const describeRefusal = (r: Refusal) => `${r.change}: ${factsWithRules(r.decision)}`;

/**
 * What importing `next` over the current directory would change, what it would leave alone, and which of its changes
 * the caller may not make.
 */
export function planImport(app: AppContext, caller: Caller, next: Bundle): { plan: ImportPlan; refusals: Refusal[] } {
  const current = exportBundle(app.db);
  const changes: BundleChange[] = [];
  const warnings: string[] = [];
  const drift: DriftItem[] = [];
  const out = {
    diff(subject: string, old: object | undefined, details: string[]) {
      if (!old) changes.push({ subject, kind: 'add', details });
      else if (details.length) changes.push({ subject, kind: 'change', details });
    },
    warn: (message: string) => void warnings.push(message),
    drift: (item: DriftItem) => void drift.push(item),
  };
  for (const section of BUNDLE_SECTIONS) section.plan(current, next, out);
  const refused = refusals(app, caller, current, next);
  return {
    plan: { applied: false, changes, warnings, drift, accepted: [], refused: refused.map(describeRefusal) },
    refusals: refused,
  };
}

/** The grants held by the principals, groups, flows and design objects the bundle names, by place. */
function grantsOfNamed(db: Db, b: Bundle): Map<string, Grant> {
  const held = new Map<string, Grant>();
  const add = (grants: Grant[]) => grants.forEach((g) => held.set(grantPlace(g), g));
  for (const { username } of [...b.users, ...b.serviceAccounts]) {
    const p = findPrincipal(db, username);
    if (p) add(grantsOfPrincipal(db, p.id, p.username));
  }
  for (const { name } of b.groups) {
    const g = findGroup(db, name);
    if (g) add(grantsOfGroup(db, g.id, g.name));
  }
  for (const { name } of b.flows) {
    const f = findFlow(db, name);
    if (f) add(grantsOfFlow(db, f.id, f.name));
  }
  for (const { name } of b.designObjects ?? []) {
    const o = findDesignObject(db, name);
    if (o) add(grantsOfDesignObject(db, o.id, o.name));
  }
  return held;
}

/**
 * Writes the bundle inside the caller's transaction and returns the grants it took away (members, impersonation
 * access, shared resources, design objects' permission entries), for the Record Deletion Log (R-L1). `passwordHashes` sets verifiers for new people
 * (the demo organisation); a bundle itself never carries one.
 */
export function writeBundle(
  app: AppContext,
  b: Bundle,
  passwordHashes: ReadonlyMap<string, string> = new Map(),
): Grant[] {
  const before = grantsOfNamed(app.db, b);
  const ctx = { now: app.clock().toISOString(), passwordHashes };
  for (const section of BUNDLE_SECTIONS) section.write(app, b, ctx);
  const after = grantsOfNamed(app.db, b);
  return [...before].filter(([at]) => !after.has(at)).map(([, g]) => g);
}
