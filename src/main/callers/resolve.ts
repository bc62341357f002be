// Who is calling, for every transport, in one place: what a transport presents becomes a Caller here,
// and handlers and services receive only that Caller. Portal API keys join when portals exist.
import { DeputyError } from '../kernel/errors';
import { resolveOperator } from './operator';
import { resolveService } from './service';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';

export type Credential =
  /** An operator's connection: the Electron window, a browser-mode cookie, a CLI run. */
  | { kind: 'session'; connectionId: string }
  /** A program: a service account's access key, and the user it acts on behalf of. */
  | { kind: 'accessKey'; keyId: string; secret: string; onBehalfOf: string };

export const sessionCredential = (connectionId: string): Credential => ({ kind: 'session', connectionId });

/** The caller behind a credential, or null when there is none (signed out, locked, key refused). */
export async function resolveCaller(app: AppContext, credential: Credential): Promise<Caller | null> {
  return credential.kind === 'session'
    ? resolveOperator(app, credential.connectionId)
    : resolveService(app, credential.keyId, credential.secret, credential.onBehalfOf);
}

export async function requireCaller(app: AppContext, credential: Credential): Promise<Caller> {
  const caller = await resolveCaller(app, credential);
  if (caller) return caller;
  if (credential.kind === 'accessKey') throw new DeputyError('unauthenticated', 'The access key was refused.');
  throw new DeputyError('unauthenticated', app.sessions.takeNotice(credential.connectionId) ?? 'Sign in first.');
}
