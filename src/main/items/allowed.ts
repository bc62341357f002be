// What the caller may do to each listed item, and whether they may create one in a flow: the services' own
// judge (access.ts) asked without recording, so the window offers exactly what the services accept.
import { IMPERSONABLE_FLOW_TYPES, ITEM_OPS, type FlowType, type ItemOp } from '../../shared/model';
import type { ItemJudge } from './access';
import type { ItemFacts } from './rules';

export function allowedOn(judge: ItemJudge, item: ItemFacts & { flow: string }): ItemOp[] {
  return ITEM_OPS.filter((op) => judge(op, item.flow, item).refusal === null);
}

/** createItem refuses flows that hold no items before it asks the rules, so this does too. */
export function mayCreateIn(judge: ItemJudge, flow: { name: string; type: FlowType }): boolean {
  return IMPERSONABLE_FLOW_TYPES.includes(flow.type) && judge('create', flow.name, null).refusal === null;
}
