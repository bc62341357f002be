// Grants are the rows that tie principals, groups and flows together. Every deletion snapshot lists the
// grants that went with what was deleted, in one shape, so one restore puts any of them back. Each kind
// of grant lives with its area; this lists them, in the order a snapshot lists its grants.
import { DeputyError } from '../kernel/errors';
import { plural } from '../../shared/model';
import { directoryGrantKinds } from '../directory/grantKinds';
import { flowGrantKinds } from '../flows/grantKinds';
import { serviceAccountGrantKinds } from '../serviceAccounts/grantKinds';
import { portalGrantKinds } from '../portals/grantKinds';
import type { AppContext } from '../kernel/context';
import type { Db } from '../kernel/ports';
import type { GrantKind, GrantKindMap, Permission, RestorerMap } from './registry';
import type { Grant, GrantKinds, GrantOf } from './snapshots';

export type { Grant };

const GRANT_KINDS: GrantKindMap<keyof GrantKinds> = {
  ...directoryGrantKinds,
  ...flowGrantKinds,
  ...serviceAccountGrantKinds,
  ...portalGrantKinds,
};

/** The kind that owns a grant, typed for that grant. */
const kindOf = <T extends keyof GrantKinds>(g: GrantOf<T>): GrantKind<T> => GRANT_KINDS[g.type as T];

export const describeGrant = (g: Grant): string => kindOf(g).describe(g);

/** Where a grant sits: two grants in one place are one grant, changed (see GrantKind.place). */
export const grantPlace = (g: Grant): string => `${g.type}: ${(kindOf(g).place ?? kindOf(g).describe)(g)}`;

/** The permission that giving this grant by hand needs: restoring it alone needs the same. */
export const grantPermission = (g: Grant): Permission => kindOf(g).permission(g);

/**
 * Puts a grant back. Returns null when it was, or why not: what it refers to is gone, or it is in place
 * already (a flow role that was changed since is left as it is now).
 */
export function restoreGrant(db: Db, g: Grant): string | null {
  const why = kindOf(g).restore(db, g);
  return why === null ? null : `${describeGrant(g)} (${why})`;
}

/** Puts back what it can of a snapshot's grants; what could not come back is said, not hidden. */
export function restoreGrants(app: AppContext, grants: Grant[]): { restored: string[]; skipped: string[] } {
  const restored: string[] = [];
  const skipped: string[] = [];
  for (const g of grants) {
    const why = restoreGrant(app.db, g);
    if (why === null) restored.push(describeGrant(g));
    else skipped.push(why);
  }
  return { restored, skipped };
}

/** Grants removed on their own (a member removed, access revoked): each needs what giving it needs. */
export const grantRestorers: RestorerMap<'grants'> = {
  grants: {
    action: 'grants.restore',
    permissions: ({ grants }) => grants.map(grantPermission),
    apply(app, { grants }) {
      const { restored, skipped } = restoreGrants(app, grants);
      if (restored.length === 0) throw new DeputyError('conflict', `Nothing to restore: ${skipped.join('; ')}.`);
      return {
        what: restored.join('; '),
        target: grants.length === 1 ? describeGrant(grants[0]!) : plural(grants.length, 'grant'),
        skipped,
      };
    },
  },
};

const kinds = Object.values(GRANT_KINDS) as GrantKind<keyof GrantKinds>[];

/** What a person, a service account included, held: groups (not system ones), flow roles, impersonation access. */
export const grantsOfPrincipal = (db: Db, id: number, username: string): Grant[] =>
  kinds.flatMap((k) => k.ofPrincipal?.(db, id, username) ?? []);

export const grantsOfGroup = (db: Db, id: number, name: string): Grant[] =>
  kinds.flatMap((k) => k.ofGroup?.(db, id, name) ?? []);

export const grantsOfFlow = (db: Db, id: number, name: string): Grant[] =>
  kinds.flatMap((k) => k.ofFlow?.(db, id, name) ?? []);

export const grantsOfDesignObject = (db: Db, id: number, name: string): Grant[] =>
  kinds.flatMap((k) => k.ofDesignObject?.(db, id, name) ?? []);
