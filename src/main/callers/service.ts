// A program's access key and the user it names → a service account acting on behalf of that user.
// Whether it may do what it asks is decide()'s question (R-K5…R-K9), asked by the guard and the services.
import { DeputyError } from '../kernel/errors';
import { readKeySecret, settleKeyCheck } from '../serviceAccounts/keys';
import type { AppContext } from '../kernel/context';
import { keyId as keyIdSchema } from '../../shared/contract';
import type { ServiceCaller } from '../kernel/caller';
import { identitiesNow } from './identities';

/**
 * A program's caller in two halves: the keychain read, awaited here, and the rest, returned to run synchronously
 * (in the service API, inside the batch its call commits in: store/groupCommit.ts). The returned function gives
 * null when the key is refused: expired, disabled, deleted, locked or wrong are not told apart to the caller
 * (the key check records which it was).
 */
export async function prepareService(
  app: AppContext,
  keyId: string,
  secret: string,
  onBehalfOf: string,
): Promise<() => ServiceCaller | null> {
  // Not even checked (nor recorded) unless it is shaped like a key id: a stranger cannot grow the log at will.
  if (!keyIdSchema.safeParse(keyId).success) return () => null;
  const keySecret = await readKeySecret(app, keyId, true);
  return () => {
    const verdict = settleKeyCheck(app, keyId, secret, keySecret);
    if (verdict.check !== 'valid') return null;
    const named = identitiesNow(app);
    const account = named(verdict.account ?? '');
    if (!account) return null;
    const user = named(onBehalfOf);
    if (!user) {
      // The key was good, so the refusal has someone to be recorded against (R-L3).
      app.audit.append({
        operator: account.username,
        action: 'accessKey.actFor',
        target: onBehalfOf,
        outcome: 'refused',
        message: `Refused: ${account.username} asked to act for ${onBehalfOf}, who does not exist`,
        details: { keyId },
      });
      throw new DeputyError('not_found', `There is no user named ${onBehalfOf} to act for.`, 'onBehalfOf', true);
    }
    return { kind: 'service', keyId, ...account, onBehalfOf: user };
  };
}
