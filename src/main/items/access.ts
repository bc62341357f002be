// Applies the item rules (rules.ts) for a caller: decide() for the flow-role part, then the item part; a
// refusal is recorded once, with the rule that refused (R-L3), and names the item.
import { DeputyError } from '../kernel/errors';
import { decide } from '../policy/decide';
import { requestFor } from '../policy/authorize';
import { effectiveIdentity, type Caller } from '../kernel/caller';
import { formatResource } from '../../shared/policy';
import { flowActionFor, itemRefusal, type ItemFacts, type ItemOp } from './rules';
import type { AppContext } from '../kernel/context';

export const flowResource = (name: string) => ({ type: 'flow', name }) as const;

/** Refuses, and records why, unless the caller may do `op` to `item` (null: create, or list) in `flow`. */
export function checkItem(app: AppContext, caller: Caller, op: ItemOp, flow: string, item: ItemFacts | null): void {
  const user = effectiveIdentity(caller).username;
  const resource = flowResource(flow);
  const action = flowActionFor(op, user, item);
  const data = app.policy();
  const decision = decide(data, requestFor(caller, action, resource));
  const flowAdmin = decision.allowed && decide(data, requestFor(caller, 'flow.settings', resource)).allowed;
  const refusal = itemRefusal({ op, user, item, decision, flowAdmin });
  if (!refusal) return;
  // The item part is the flow's own rule, applied to the user whose rights these are (R-S9, R-K6).
  const tag = decision.allowed ? ` (items${caller.onBehalfOf ? `, as ${user}` : ''})` : '';
  const target = formatResource(resource);
  app.audit.append({
    operator: caller.username,
    action,
    target,
    outcome: 'refused',
    message: `Refused ${action} on ${target}${item ? ` (item ${item.id})` : ''}: ${refusal.why}${tag}`,
    details: { ...(item ? { item: item.id } : {}), reasons: decision.reasons },
  });
  throw new DeputyError(
    refusal.code,
    refusal.code === 'forbidden'
      ? `You may not do this: ${refusal.why}${tag}.`
      : `This cannot be done: ${refusal.why}.`,
    undefined,
    true,
  );
}
