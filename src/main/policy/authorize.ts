import { DeputyError } from '../errors';
import { decide } from './decide';
import { formatResource } from '../../shared/policy';
import type { Action, Decision, Resource } from '../../shared/policy';
import type { AppContext } from '../context';
import type { Caller } from '../auth/sessions';

const ACCOUNT: Resource = { type: 'account' };

/** Asks decide() for the caller; refuses, and records the refusal with its reasons (R-L3), when denied. */
export function authorize(app: AppContext, caller: Caller, action: Action, resource: Resource = ACCOUNT): Decision {
  const decision = decide(app.policy(), { actor: caller.username, action, resource });
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
