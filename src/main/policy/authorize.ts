import { DeputyError } from '../kernel/errors';
import { decide } from './decide';
import { factsOf, factsWithRules, formatResource } from '../../shared/policy';
import type { Action, Decision, DecisionRequest, Resource } from '../../shared/policy';
import type { AppContext } from '../kernel/context';
import { actingFor, type Caller } from '../kernel/caller';

const ACCOUNT: Resource = { type: 'account' };

/** The question for decide(): an impersonating operator, or a service account, acts on behalf of a user (R-S9, R-K5). */
export function requestFor(caller: Caller, action: Action, resource: Resource = ACCOUNT): DecisionRequest {
  const other = actingFor(caller);
  return {
    actor: caller.username,
    action,
    resource,
    ...(other ? { onBehalfOf: other.username } : {}),
  };
}

/**
 * Asks decide() for the caller and records the decision whichever way it goes (a decision point in front of
 * another system: its audit trail is here). Returns it rather than refusing.
 */
export function decideRecorded(app: AppContext, caller: Caller, action: Action, resource: Resource): Decision {
  const decision = decide(app.policy(), requestFor(caller, action, resource));
  const why = factsWithRules(decision);
  app.audit.append({
    operator: caller.username,
    action: 'access.decide',
    target: formatResource(resource),
    outcome: decision.allowed ? 'ok' : 'refused',
    message: `${decision.allowed ? 'Allowed' : 'Denied'} ${action} on ${formatResource(resource)}: ${why}`,
    details: { asked: action, reasons: decision.reasons },
  });
  return decision;
}

/** Asks decide() for the caller; refuses, and records the refusal with its reasons (R-L3), when denied. */
export function authorize(app: AppContext, caller: Caller, action: Action, resource: Resource = ACCOUNT): Decision {
  const decision = decide(app.policy(), requestFor(caller, action, resource));
  if (decision.allowed) return decision;
  const why = factsWithRules(decision);
  app.audit.append({
    operator: caller.username,
    action,
    target: formatResource(resource),
    outcome: 'refused',
    message: `Refused ${action} on ${formatResource(resource)}: ${why}`,
    details: { reasons: decision.reasons },
  });
  // The sentence says what stands in the way; the rule that decided is the error's `rule`, the window's "why".
  throw new DeputyError(
    'forbidden',
    `You may not do this: ${factsOf(decision)}.`,
    undefined,
    true,
    decision.reasons[0]?.rule,
  );
}
