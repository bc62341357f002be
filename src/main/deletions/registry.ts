// The shapes an area implements to take part in deletion and restore: a Restorer per kind of snapshot,
// a GrantKind per kind of grant. deletions/restore.ts and deletions/grants.ts list the areas' entries.
import { DeputyError } from '../kernel/errors';
import type { AppContext } from '../kernel/context';
import type { Action, Resource } from '../../shared/policy';
import type { Caller } from '../kernel/caller';
import type { Db } from '../kernel/ports';
import type { GrantKinds, GrantOf, SnapshotKind, Snapshots } from './snapshots';

export interface Restored {
  /** What came back: `user Jane Doe (jdoe)`, `impersonation through global_my_items for po-bot`. */
  what: string;
  target: string;
  /** What the person restoring it must know: what did not come back and what to do about it. */
  notes?: string[];
  skipped: string[];
  extra?: Record<string, unknown>;
}

/** An account-level action, or an action on one flow or user, that decide() must allow. */
export interface Permission {
  action: Action;
  resource?: Resource;
}

export interface Restorer<K extends SnapshotKind> {
  /** The audit action of a restore of this kind. */
  action: string;
  /** What decide() must allow: giving back by hand what the snapshot holds needs the same. */
  permissions(snapshot: Snapshots[K]): Permission[];
  /** A refusal decide() cannot express (restoring roles the caller does not hold), or null. */
  refusal?(caller: Caller, snapshot: Snapshots[K]): string | null;
  apply(app: AppContext, snapshot: Snapshots[K]): Restored;
}

export type RestorerMap<K extends SnapshotKind> = { [P in K]: Restorer<P> };

export interface GrantKind<T extends keyof GrantKinds> {
  describe(g: GrantOf<T>): string;
  /**
   * Where it sits, when that is less than all of it (a flow member whose role changed, an entry whose level changed,
   * is in the same place: a change, in History, not a deletion); `describe` otherwise.
   */
  place?(g: GrantOf<T>): string;
  /** The permission that giving this grant by hand needs: restoring it alone needs the same. */
  permission(g: GrantOf<T>): Permission;
  /** Puts it back; null when it was, or why not (what it refers to is gone, or it is in place already). */
  restore(db: Db, g: GrantOf<T>): string | null;
  /** The grants of this kind that a principal, group, flow or design object holds, for its deletion snapshot. */
  ofPrincipal?(db: Db, id: number, username: string): GrantOf<T>[];
  ofGroup?(db: Db, id: number, name: string): GrantOf<T>[];
  ofFlow?(db: Db, id: number, name: string): GrantOf<T>[];
  ofDesignObject?(db: Db, id: number, name: string): GrantOf<T>[];
}

/** Restoring something whose name is in use again. */
export const takenAgain = (name: string) =>
  new DeputyError('conflict', `${name} exists again (restored already, or the name was taken since).`);

export type GrantKindMap<T extends keyof GrantKinds> = { [P in T]: GrantKind<P> };
