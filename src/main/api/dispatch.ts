// The one place a call crosses into main: the caller is resolved here, the method's declared guard is
// applied here, the input is parsed here, and every outcome becomes a Result. Transports (IPC, HTTP, CLI,
// tests) all come through.
import type { z } from 'zod';
import { DeputyError } from '../kernel/errors';
import { storageFailure } from '../store/storageFailure';
import { prepareCaller, requireResolved, type Credential } from '../callers/resolve';
import { runAttributed } from '../audit/attribution';
import { authorize } from '../policy/authorize';
import { countAction } from '../impersonation/lifecycle';
import {
  contract,
  isMethodName,
  isPortalMethod,
  isProgramMethod,
  type Guard,
  type MethodName,
} from '../../shared/contract';
import type { ApiError, Result } from '../../shared/result';
import type { AppContext } from '../kernel/context';
import { actingFor, type Caller } from '../kernel/caller';
import type { Handler, Handlers } from './types';

/** The first problem of the input: its message as written for a person, the path apart (ApiError). */
export function invalidInput(error: z.ZodError): ApiError {
  const issue = error.issues[0];
  const field = issue?.path.map(String).join('.') ?? '';
  const message = issue?.message ?? 'The input is not valid.';
  return field ? { code: 'invalid_input', message, field } : { code: 'invalid_input', message };
}

/** `identified`, if given, is told who the call was resolved to, once its credential was accepted (a CLI run's record). */
export type Dispatch = (
  credential: Credential,
  method: unknown,
  input: unknown,
  identified?: (caller: Caller) => void,
) => Promise<Result<unknown>>;
/** A call from an operator's connection: the window, browser mode, the CLI. */
export type ConnectionCall = (connectionId: string, method: unknown, input: unknown) => Promise<Result<unknown>>;
/**
 * The rest of a call once its waiting is done: synchronous up to its Result (a promise only from a handler that
 * awaits), so that it can run inside a transaction with other calls (store/groupCommit.ts).
 */
export type Settle = () => Result<unknown> | Promise<Result<unknown>>;
/** A call in two halves: awaits what it must (an access key's keychain read), returns the rest as a Settle. */
export type Prepare = (
  credential: Credential,
  method: unknown,
  input: unknown,
  identified?: (caller: Caller) => void,
) => Promise<Settle>;

/**
 * Public methods have no caller to resolve; they start or precede a console session, so programs get none. The name
 * of no method (null) resolves its caller as any other call does: a caller without a session learns only that.
 */
async function callerFor(
  app: AppContext,
  credential: Credential,
  method: MethodName | null,
): Promise<() => Caller | null> {
  if (method === null || contract[method].guard !== 'public') {
    const resolve = await prepareCaller(app, credential);
    return () => requireResolved(app, credential, resolve());
  }
  if (credential.kind !== 'session')
    throw new DeputyError('forbidden', `${method} is for the console, not for programs.`);
  return () => null;
}

/** The calls that still run when the operator's impersonation has just ended by itself. */
const AFTER_AN_ENDED_SESSION: ReadonlySet<MethodName> = new Set([
  'auth.signOut',
  'impersonation.end',
  'impersonation.start',
]);

/** A name no longer than a record's action should be: the name of no method is whatever the caller sent. */
const shown = (name: string) => (name.length > 100 ? `${name.slice(0, 100)}…` : name);

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';

export function createPrepare(app: AppContext, handlers: Handlers): Prepare {
  return async (credential, requested, input, identified) => {
    const method = isMethodName(requested) ? requested : null;
    // What a record's action says: the method, or the (bounded) name of no method the caller sent.
    const name = method ?? shown(String(requested));
    let caller: Caller | null = null;
    // A public method resolves no caller. Its refusal is still recorded (R-L3), under whoever is signed in on the
    // connection, else as no one, as a refused sign-in is.
    const publicCall = method !== null && contract[method].guard === 'public';
    const recordedAs = (): string | null | undefined =>
      caller
        ? caller.username
        : publicCall
          ? ((credential.kind === 'session' ? app.sessions.get(credential.connectionId)?.username : null) ?? null)
          : undefined;
    const fail = (err: unknown): Result<unknown> => {
      if (err instanceof DeputyError) {
        if (!err.recorded) recordRefusal(app, recordedAs(), name, err);
        return { ok: false, error: err.toApiError() };
      }
      // A full disk or a damaged file is said as such (issue 21 #6); recording it would fail the same way.
      const storage = storageFailure(err);
      if (storage) return { ok: false, error: storage.toApiError() };
      return { ok: false, error: recordInternal(app, caller, name, err) };
    };
    let identify: () => Caller | null;
    try {
      // Who is calling comes first: a caller without a session learns nothing, not even the schema.
      identify = await callerFor(app, credential, method);
    } catch (err) {
      return () => fail(err); // recorded when the call settles, with the calls it settles with
    }
    return () => {
      try {
        caller = identify();
        const known = caller;
        if (known) identified?.(known);
        // R-S8: every record this call writes — its refusal or failure too — carries `user (caller)`. A service
        // account acting as itself (its own flow roles, R-K10; a portal's key, R-A5) is recorded under its own name.
        const portal = known?.kind === 'service' ? known.portal : undefined;
        const other = known ? actingFor(known) : undefined;
        const attribution = known && other ? { effectiveUser: other.username, impersonator: known.username } : null;
        return runAttributed(attribution, (): Result<unknown> | Promise<Result<unknown>> => {
          try {
            // R-L3: no such method is refused like any call, recorded under whoever was identified.
            if (method === null) throw new DeputyError('invalid_input', `Unknown method: ${name}`, 'method');
            const spec = contract[method];
            if (portal !== undefined && !isPortalMethod(method)) {
              throw new DeputyError('forbidden', `A portal's API key may call only portals.decide, not ${method}.`);
            }
            if (known && known.kind !== 'operator' && portal === undefined && !isProgramMethod(method)) {
              throw new DeputyError('forbidden', `${method} needs a signed-in person; programs cannot call it.`);
            }
            // Meant for the impersonated user, it must not run with the operator's own rights (R-S9). Signing out,
            // Back to me and a new session are what the operator wanted either way.
            if (known?.kind === 'operator' && known.impersonationEnded && !AFTER_AN_ENDED_SESSION.has(method)) {
              throw new DeputyError('conflict', known.impersonationEnded, undefined, false, 'R-S9');
            }
            const parsed = spec.input.safeParse(input ?? {});
            if (!parsed.success) {
              // R-L3: refused by the schema is refused all the same, and recorded like a handler's refusal.
              const { message, field } = invalidInput(parsed.error);
              throw new DeputyError('invalid_input', message, field);
            }
            if (known?.kind === 'operator' && known.impersonationId !== undefined && method !== 'app.status') {
              countAction(app, known.impersonationId);
            }
            // The declared guard, for every method in one place; `perResource` ones authorize in their service.
            const guard: Guard = spec.guard;
            // A portal's key answers to its portal's permissions (portals/decision.ts), not to an account action.
            if (known && typeof guard === 'object' && portal === undefined) {
              authorize(app, known, known.kind === 'service' ? (guard.program ?? guard.action) : guard.action);
            }
            // The contract's table pairs each name with its schema and handler; TS cannot follow the pairing
            // through a union of names, so the call is widened once here.
            const handler = handlers[method] as Handler<MethodName> as (input: unknown, call: unknown) => unknown;
            const call = known
              ? { caller: known }
              : { connectionId: credential.kind === 'session' ? credential.connectionId : '' };
            const value = handler(parsed.data, call);
            return isThenable(value)
              ? Promise.resolve(value).then((v): Result<unknown> => ({ ok: true, value: v }), fail)
              : { ok: true, value };
          } catch (err) {
            return fail(err);
          }
        });
      } catch (err) {
        return fail(err);
      }
    };
  };
}

/**
 * R-L3: a refused call is recorded, with who (`operator`: null for a public method called with no session), what and
 * why. Undefined: a call refused before anyone was identified, with no identity to record it against.
 */
function recordRefusal(app: AppContext, operator: string | null | undefined, method: string, err: DeputyError): void {
  if (operator === undefined || err.code === 'unauthenticated') return;
  app.audit.append({
    operator,
    action: method,
    outcome: 'refused',
    message: `Refused ${method}: ${err.message}${err.rule ? ` (${err.rule})` : ''}`,
    details: { code: err.code, ...(err.field ? { field: err.field } : {}), ...(err.rule ? { rule: err.rule } : {}) },
  });
}

function recordInternal(app: AppContext, caller: Caller | null, method: string, err: unknown): ApiError {
  const reference = `E-${Date.now().toString(36)}`;
  try {
    app.audit.append({
      log: 'exception',
      operator: caller?.username ?? null,
      action: method,
      outcome: 'error',
      message: `Unexpected failure in ${method}: ${err instanceof Error ? err.message : String(err)}`,
      details: { reference, stack: err instanceof Error ? (err.stack ?? '') : '' },
    });
  } catch {
    // The exception log itself is failing (disk full, storage gone); the reference still goes back.
  }
  return { code: 'internal', message: `Something went wrong (${reference}). The details are in the Exception Log.` };
}
