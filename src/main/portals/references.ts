// Portals and design objects name their service accounts and grantees (users, groups) by name. A principal or group
// deleted from under them would leave those entries behind, and whoever is given the name next would inherit them:
// the entries, a portal's account, the portal's live API key (R-A1, R-A2, R-A5). So a deletion is refused while
// anything names what it deletes, saying what, and what to do first.
import { DeputyError } from '../kernel/errors';
import { objectsNaming } from '../store/designObjects';
import { portalsOfAccount } from '../store/portals';
import { liveKeyOf } from '../store/portalKeys';
import type { AppContext } from '../kernel/context';

const some = (names: readonly string[]) =>
  names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');

/** Refuses deleting the user (a person or a service account) or group `name` while a portal or an entry names it. */
export function refuseWhileNamed(app: AppContext, granteeType: 'user' | 'group', name: string): void {
  const what = granteeType === 'user' ? name : `group ${name}`;
  const portals = granteeType === 'user' ? portalsOfAccount(app.db, name) : [];
  if (portals.length) {
    throw new DeputyError(
      'conflict',
      `${what} is the service account of portal ${some(portals)}: give the portal another account, or delete it, ` +
        `first (Portals).`,
      undefined,
      false,
      'R-A1',
    );
  }
  const objects = objectsNaming(app.db, granteeType, name);
  if (objects.length) {
    throw new DeputyError(
      'conflict',
      `${what} has permissions on design object ${some(objects)}: remove them first (Portals › Design objects), ` +
        `so that no one given the name later inherits them.`,
      undefined,
      false,
      'R-A2',
    );
  }
}

/**
 * R-A5: why a published portal may not take `next` as its account, or null. Its key was issued for the account it
 * has (publish checked that account's findings), and authenticates as whatever account the portal names.
 */
export function publishedAccountChange(
  app: AppContext,
  portal: { id: number; name: string; serviceAccount: string },
  next: string,
): string | null {
  if (portal.serviceAccount.toLowerCase() === next.toLowerCase()) return null;
  const live = liveKeyOf(app.db, portal.id);
  return live
    ? `Portal ${portal.name} is published with API key ${live}, issued for ${portal.serviceAccount}: rotate it ` +
        `first, then publish again with ${next}`
    : null;
}
