// Who is calling, for every transport, in one place: what a transport presents becomes a Caller here,
// and handlers and services receive only that Caller.
import { DeputyError } from '../kernel/errors';
import { resolveOperator } from './operator';
import { prepareService } from './service';
import { preparePortal } from './portal';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';

export type Credential =
  /** An operator's connection: the Electron window, a browser-mode cookie, a CLI run. */
  | { kind: 'session'; connectionId: string }
  /** A program: a service account's access key, and the user it acts on behalf of. */
  | { kind: 'accessKey'; keyId: string; secret: string; onBehalfOf: string }
  /** A portal's API key (R-A5): its service account, acting as itself for that portal only. */
  | { kind: 'portalKey'; keyId: string; secret: string };

export const sessionCredential = (connectionId: string): Credential => ({ kind: 'session', connectionId });

/**
 * The caller behind a credential, in two halves: what must be awaited (an access key's keychain read) is done
 * here; the returned function finishes synchronously, so the service API can run it inside the batch its call
 * commits in (store/groupCommit.ts). It gives null when there is no caller (signed out, locked, key refused).
 */
export async function prepareCaller(app: AppContext, credential: Credential): Promise<() => Caller | null> {
  if (credential.kind === 'session') return () => resolveOperator(app, credential.connectionId);
  if (credential.kind === 'portalKey') return preparePortal(app, credential.keyId, credential.secret);
  return prepareService(app, credential.keyId, credential.secret, credential.onBehalfOf);
}

/** Throws `unauthenticated` when there is no caller, saying why when the console has a reason to show. */
export function requireResolved(app: AppContext, credential: Credential, caller: Caller | null): Caller {
  if (caller) return caller;
  if (credential.kind === 'accessKey') throw new DeputyError('unauthenticated', 'The access key was refused.');
  if (credential.kind === 'portalKey') {
    throw new DeputyError(
      'unauthenticated',
      'The portal API key was refused: it is wrong, or the portal was rotated and is unavailable until republished.',
    );
  }
  throw new DeputyError('unauthenticated', app.sessions.takeNotice(credential.connectionId) ?? 'Sign in first.');
}
