// Reading items: one item, a flow's items, and My Items (created by / assigned to the effective user), each
// newest first with keyset paging on the id, so a page costs the same however deep it is. Listed items carry
// what the caller may do to them (allowed.ts).
import { authorize } from '../policy/authorize';
import { effectiveIdentity, type Caller } from '../kernel/caller';
import { requireFlow } from '../flows/manage';
import { flowItems, itemsAssignedTo, itemsCreatedBy, type StoredItem } from '../store/items';
import { flowFields } from '../store/flowFields';
import { checkItem, itemJudge, type ItemJudge } from './access';
import { allowedOn, mayCreateIn } from './allowed';
import { itemView, requireItem } from './manage';
import type { AppContext } from '../kernel/context';
import {
  IMPERSONABLE_FLOW_TYPES,
  type FlowItemPage,
  type Item,
  type ItemPage,
  type MemberFlow,
} from '../../shared/model';

/** One more row than asked tells whether another page follows, without an empty last page. */
function pageOf(
  judge: ItemJudge,
  fetch: (before: number | undefined, limit: number) => StoredItem[],
  cursor: number | undefined,
  limit: number,
): ItemPage {
  const rows = fetch(cursor, limit + 1);
  const items = rows.slice(0, limit).map((row) => ({ ...itemView(row), allowed: allowedOn(judge, row) }));
  return { items, next: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

export function getItem(app: AppContext, caller: Caller, id: number): Item {
  const item = requireItem(app, id);
  checkItem(app, caller, 'read', item.flow, item);
  return itemView(item);
}

export function listFlowItems(
  app: AppContext,
  caller: Caller,
  input: { flow: string; cursor?: number | undefined; limit: number },
): FlowItemPage {
  const f = requireFlow(app, input.flow);
  checkItem(app, caller, 'read', f.name, null);
  const judge = itemJudge(app.policy(), caller);
  return {
    ...pageOf(judge, (before, limit) => flowItems(app.db, f.id, before, limit), input.cursor, input.limit),
    fields: flowFields(app.db, f.id),
    mayCreate: mayCreateIn(judge, f),
  };
}

/** R-K8, R-S9: the effective user's own lists (a service account needs global_my_items to read them). */
export function listMyItems(
  app: AppContext,
  caller: Caller,
  input: { which: 'created' | 'assigned'; cursor?: number | undefined; limit: number },
): ItemPage {
  authorize(app, caller, 'myItems.read');
  const user = effectiveIdentity(caller).username;
  const fetch = input.which === 'created' ? itemsCreatedBy : itemsAssignedTo;
  // Reading the list is R-K8's; acting on each item still needs its flow (R-K5), which the judge asks.
  const judge = itemJudge(app.policy(), caller);
  return pageOf(judge, (before, limit) => fetch(app.db, user, before, limit), input.cursor, input.limit);
}

/**
 * R-S9: the processes, boards and datasets whose items the effective user may read, by name. Each flow is asked
 * of decide(), so a caller learns only of flows they belong to (directly or through a group).
 */
export function listMemberFlows(app: AppContext, caller: Caller): MemberFlow[] {
  const data = app.policy();
  const judge = itemJudge(data, caller);
  return [...data.flows.values()]
    .filter((f) => IMPERSONABLE_FLOW_TYPES.includes(f.type) && judge('read', f.name, null).refusal === null)
    .map((f) => ({ name: f.name, type: f.type }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
