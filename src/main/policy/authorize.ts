import { DeputyError } from '../errors';
import { decide } from './decide';
import { formatResource } from '../../shared/policy';
import type { Action, Decision, DecisionRequest, Resource } from '../../shared/policy';
import type { AppContext } from '../context';
import type { Caller } from '../auth/sessions';

const ACCOUNT: Resource = { type: 'account' };

/** The question for decide(): while impersonating, the operator acts on behalf of that user (R-S9). */
export function requestFor(caller: Caller, action: Action, resource: Resource = ACCOUNT): DecisionRequest {
  return {
    actor: caller.username,
    action,
    resource,
    ...(caller.impersonating ? { onBehalfOf: caller.impersonating.username } : {}),
  };
}

/** Asks decide() for the caller; refuses, and records the refusal with its reasons (R-L3), when denied. */
export function authorize(app: AppContext, caller: Caller, action: Action, resource: Resource = ACCOUNT): Decision {
  const decision = decide(app.policy(), requestFor(caller, action, resource));
  if (decision.allowed) return decision;
  const why = decision.reasons.map((r) => `${r.fact} (${r.rule})`).join('; ');
  app.audit.append({
    operator: caller.username,
    action,
    target: formatResource(resource),
    outcome: 'refused',
    message: `Refused ${action} on ${formatResource(resource)}: ${why}`,
    details: { reasons: decision.reasons },
  });
  throw new DeputyError('forbidden', `You may not do this: ${why}.`, undefined, true);
}
