// A program's caller names two principals on every call (the key's account, the user it acts for). Their identities
// are kept per policy snapshot: the snapshot is rebuilt whenever principals or their roles change (migrations 030,
// 240), so an identity kept with it is never older than the directory. Two reads of the principal and its roles a
// call were the largest share of the service API's own work after the commit (test/bench/serviceApi.ts).
import { findPrincipal } from '../store/principals';
import { identityOf, type Identity } from '../kernel/caller';
import type { AppContext } from '../kernel/context';
import type { PolicyData } from '../kernel/policyData';

const bySnapshot = new WeakMap<PolicyData, Map<string, Identity>>();

/**
 * The identities of the directory as it is now: the principal named `username` (as written: another spelling is
 * read, and kept under it), or undefined. One look at the snapshot's generation for all the names of one call.
 */
export function identitiesNow(app: AppContext): (username: string) => Identity | undefined {
  const snapshot = app.policy();
  let known = bySnapshot.get(snapshot);
  if (!known) bySnapshot.set(snapshot, (known = new Map()));
  const kept = known;
  return (username) => {
    const hit = kept.get(username);
    if (hit) return hit;
    const p = findPrincipal(app.db, username);
    if (!p) return undefined;
    // Shared by every call until the directory changes: frozen, so that no call can change it for the others.
    const identity = identityOf(p);
    Object.freeze(identity.roles);
    kept.set(username, Object.freeze(identity));
    return identity;
  };
}
