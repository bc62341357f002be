// The one place a call crosses into main: method name and input are parsed here, the session is
// resolved here, and every outcome becomes a Result. Transports (IPC, HTTP, tests) all come through.
import type { z } from 'zod';
import { DeputyError } from '../errors';
import { requireOperator } from '../auth/sessions';
import { runAttributed } from '../audit/attribution';
import { contract, isMethodName, type MethodName } from '../../shared/contract';
import type { ApiError, Result } from '../../shared/result';
import type { AppContext } from '../context';
import type { Call, Handler, Handlers } from './types';

function invalidInput(error: z.ZodError): ApiError {
  const issue = error.issues[0];
  const field = issue?.path.map(String).join('.') ?? '';
  const message = issue?.message ?? 'The input is not valid.';
  return field ? { code: 'invalid_input', message: `${field}: ${message}`, field } : { code: 'invalid_input', message };
}

export type Dispatch = (connectionId: string, method: unknown, input: unknown) => Promise<Result<unknown>>;

export function createDispatch(app: AppContext, handlers: Handlers): Dispatch {
  return async (connectionId, method, input) => {
    if (!isMethodName(method)) {
      return {
        ok: false,
        error: { code: 'invalid_input', message: `Unknown method: ${String(method)}`, field: 'method' },
      };
    }
    const spec = contract[method];
    const fail = (err: unknown): Result<unknown> => {
      if (err instanceof DeputyError) {
        if (!err.recorded) recordRefusal(app, connectionId, method, err);
        return { ok: false, error: err.toApiError() };
      }
      return { ok: false, error: recordInternal(app, connectionId, method, err) };
    };
    try {
      // Who is calling comes first: a caller without a session learns nothing, not even the schema.
      const operator = spec.access === 'operator' ? requireOperator(app, connectionId) : null;
      const parsed = spec.input.safeParse(input ?? {});
      if (!parsed.success) return { ok: false, error: invalidInput(parsed.error) };
      // The contract's table pairs each name with its schema and handler; TS cannot follow the pairing
      // through a union of names, so the call is widened once here.
      const handler = handlers[method] as Handler<MethodName> as (input: unknown, call: Call<unknown>) => unknown;
      const acting = operator?.impersonating;
      if (acting && method !== 'app.status') {
        app.db.prepare(`UPDATE impersonation_sessions SET actions = actions + 1 WHERE id = ?`).run(acting.sessionId);
      }
      // R-S8: every record this call writes — its refusal or failure too — carries `impersonated (impersonator)`.
      const attribution = acting ? { effectiveUser: acting.username, impersonator: operator.username } : null;
      return await runAttributed(attribution, async (): Promise<Result<unknown>> => {
        try {
          return { ok: true, value: await handler(parsed.data, { connectionId, operator }) };
        } catch (err) {
          return fail(err);
        }
      });
    } catch (err) {
      return fail(err);
    }
  };
}

/** R-L3: a signed-in caller's refused call is recorded, with who, what and why. */
function recordRefusal(app: AppContext, connectionId: string, method: string, err: DeputyError): void {
  const operator = app.sessions.get(connectionId)?.username;
  if (!operator || err.code === 'unauthenticated') return; // no identity to record it against
  app.audit.append({
    operator,
    action: method,
    outcome: 'refused',
    message: `Refused ${method}: ${err.message}`,
    details: { code: err.code, ...(err.field ? { field: err.field } : {}) },
  });
}

function recordInternal(app: AppContext, connectionId: string, method: string, err: unknown): ApiError {
  const reference = `E-${Date.now().toString(36)}`;
  try {
    app.audit.append({
      log: 'exception',
      operator: app.sessions.get(connectionId)?.username ?? null,
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
