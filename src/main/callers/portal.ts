// A portal's API key → the portal's service account, acting as itself for that portal only (R-A5). What it may do is
// the portal's question (portals/decision.ts); dispatch lets it call nothing but PORTAL_METHODS.
import { identityOf, type ServiceCaller } from '../kernel/caller';
import { isPortalKeyId, readPortalKeySecret, settlePortalKeyCheck } from '../portals/keys';
import type { AppContext } from '../kernel/context';

/** In two halves, like an access key: the keychain read awaited here, the check settled with the call. */
export async function preparePortal(
  app: AppContext,
  keyId: string,
  secret: string,
): Promise<() => ServiceCaller | null> {
  // No record and no failure count for a string that is not even shaped like a portal key id.
  if (!isPortalKeyId(keyId)) return () => null;
  const stored = await readPortalKeySecret(app, keyId);
  return () => {
    const checked = settlePortalKeyCheck(app, keyId, secret, stored);
    if (!checked) return null;
    const identity = identityOf(checked.account);
    return { kind: 'service', keyId, ...identity, onBehalfOf: identity, portal: checked.portal };
  };
}
