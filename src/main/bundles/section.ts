// A policy bundle is made of sections, and each area of the directory owns its own: how it is exported,
// what importing it would change, and how it is written. bundles/sections.ts lists them; export.ts and
// import.ts only walk that list, so a new area adds a section file instead of editing them.
import { DeputyError } from '../kernel/errors';
import type { AppContext } from '../kernel/context';
import type { Db } from '../kernel/ports';
import type { PolicyData } from '../kernel/policyData';
import type { Permission } from '../deletions/registry';
import type { Bundle, BundleChange, DriftItem } from '../../shared/bundle';

export type SectionKey = Exclude<keyof Bundle, 'version'>;

/** What a plan collects from every section, in the order the sections are listed. */
export interface PlanOut {
  /** An add when there is no `old`, a change when there are details, nothing otherwise. */
  diff(subject: string, old: object | undefined, details: string[]): void;
  warn(message: string): void;
  /** R-A4: a difference between environments that must be made to match or accepted before import. */
  drift(item: DriftItem): void;
}

export interface WriteContext {
  now: string;
  /** Verifiers for new people (the demo organisation); a bundle itself never carries one. */
  passwordHashes: ReadonlyMap<string, string>;
}

/** A change of the import and what the console would ask decide() to allow for it. */
export interface Need {
  change: string;
  permission: Permission;
}

export interface BundleSection<K extends SectionKey> {
  key: K;
  export(db: Db, data: PolicyData): Bundle[K];
  /** Compares the current bundle with the next one; refuses (conflict) what cannot fit this directory. */
  plan(current: Bundle, next: Bundle, out: PlanOut): void;
  /**
   * What the importer must be allowed, beyond policy.import, for this section's changes: whatever the console asks
   * per object. Importing is a Super Admin's, who holds every account right, but not a flow's: its members and
   * impersonation access are its Flow Admins' (R-K4), and an import must not be the way around that.
   */
  needs?(current: Bundle, next: Bundle): Need[];
  /** Makes the directory match `next` in this section, inside the import's transaction. */
  write(app: AppContext, next: Bundle, ctx: WriteContext): void;
}

export const key = (s: string) => s.toLowerCase();
const list = (xs: readonly string[]) => (xs.length ? [...xs].sort().join(', ') : '(none)');
export const sameSet = (a: readonly string[], b: readonly string[]) => list(a) === list(b);
export const setDiff = (field: string, old: readonly string[], next: readonly string[]) =>
  sameSet(old, next) ? [] : [`${field}: ${list(old)} → ${list(next)}`];
export const byName = (a: string, b: string) => a.localeCompare(b, 'en', { sensitivity: 'base' });

export const conflict = (message: string) =>
  new DeputyError('conflict', `The bundle does not fit this directory: ${message}`);

export type { BundleChange, DriftItem };
