// Applies a bundle: everything it names is made to match it, all or nothing, one History record per
// change. Principals, groups and flows it does not name are left as they are (and said so). Each section
// plans and writes itself (bundles/sections.ts); this walks them.
import { exportBundle } from './export';
import { BUNDLE_SECTIONS } from './sections';
import type { AppContext } from '../kernel/context';
import type { Bundle, BundleChange, DriftItem, ImportPlan } from '../../shared/bundle';

/** What importing `next` over the current directory would change, and what it would leave alone. */
export function planImport(app: AppContext, next: Bundle): ImportPlan {
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
  return { applied: false, changes, warnings, drift, accepted: [] };
}

/**
 * Writes the bundle inside the caller's transaction. `passwordHashes` sets verifiers for new people
 * (the demo organisation); a bundle itself never carries one.
 */
export function writeBundle(app: AppContext, b: Bundle, passwordHashes: ReadonlyMap<string, string> = new Map()): void {
  const ctx = { now: app.clock().toISOString(), passwordHashes };
  for (const section of BUNDLE_SECTIONS) section.write(app, b, ctx);
}
