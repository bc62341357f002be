// Applies the item rules (rules.ts) for a caller: decide() for the flow-role part, then the item part. The
// services refuse with checkItem(), which records the refusal once, with the rule that refused (R-L3), and names
// the item; the listings ask the same judge what each item allows, so the button shown and the check enforced
// are one code path.
import { DeputyError } from '../kernel/errors';
import { decide } from '../policy/decide';
import { requestFor } from '../policy/authorize';
import { actingFor, effectiveIdentity, type Caller } from '../kernel/caller';
import { formatResource, type Decision, type FlowAction } from '../../shared/policy';
import { flowActionFor, itemRefusal, type ItemFacts, type ItemOp, type ItemRefusal } from './rules';
import type { PolicyData } from '../kernel/policyData';
import type { AppContext } from '../kernel/context';

export const flowResource = (name: string) => ({ type: 'flow', name }) as const;

export interface ItemJudgement {
  action: FlowAction;
  decision: Decision;
  refusal: ItemRefusal | null;
}

/** Judges `op` on `item` (null: create, or list) in `flow` for the caller, without recording anything. */
export type ItemJudge = (op: ItemOp, flow: string, item: ItemFacts | null) => ItemJudgement;

/**
 * A judge over one policy snapshot. decide() depends only on the flow and the action, so its answers are kept:
 * a listed page asks about its items' seven operations, over a handful of flows.
 */
export function itemJudge(data: PolicyData, caller: Caller): ItemJudge {
  const user = effectiveIdentity(caller).username;
  const decided = new Map<string, Decision>();
  const ask = (action: FlowAction, flow: string): Decision => {
    const key = `${action}\u0000${flow}`;
    let d = decided.get(key);
    if (!d) {
      d = decide(data, requestFor(caller, action, flowResource(flow)));
      decided.set(key, d);
    }
    return d;
  };
  return (op, flow, item) => {
    const action = flowActionFor(op, user, item);
    const decision = ask(action, flow);
    const flowAdmin = decision.allowed && ask('flow.settings', flow).allowed;
    return { action, decision, refusal: itemRefusal({ op, user, item, decision, flowAdmin }) };
  };
}

/** Refuses, and records why, unless the caller may do `op` to `item` (null: create, or list) in `flow`. */
export function checkItem(app: AppContext, caller: Caller, op: ItemOp, flow: string, item: ItemFacts | null): void {
  const { action, decision, refusal } = itemJudge(app.policy(), caller)(op, flow, item);
  if (!refusal) return;
  const user = effectiveIdentity(caller).username;
  const resource = flowResource(flow);
  // The item part is the flow's own rule, applied to the user whose rights these are (R-S9, R-K6).
  const tag = decision.allowed ? ` (items${actingFor(caller) ? `, as ${user}` : ''})` : '';
  const target = formatResource(resource);
  app.audit.append({
    operator: caller.username,
    action,
    target,
    outcome: 'refused',
    message: `Refused ${action} on ${target}${item ? ` (item ${item.id})` : ''}: ${refusal.recorded ?? refusal.why}${tag}`,
    details: { ...(item ? { item: item.id } : {}), reasons: decision.reasons },
  });
  throw new DeputyError(
    refusal.code,
    refusal.code === 'forbidden'
      ? `You may not do this: ${refusal.why}${tag}.`
      : `This cannot be done: ${refusal.why}.`,
    undefined,
    true,
    // The record keeps every reason with its rule, as authorize() records; the sentence leaves the id to `rule`.
    refusal.rule,
  );
}
