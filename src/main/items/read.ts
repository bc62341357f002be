// Reading items: one item, a flow's items, and My Items (created by / assigned to the effective user), each
// newest first with keyset paging on the id, so a page costs the same however deep it is.
import { authorize } from '../policy/authorize';
import { effectiveIdentity, type Caller } from '../kernel/caller';
import { requireFlow } from '../flows/manage';
import { flowItems, itemsAssignedTo, itemsCreatedBy, type StoredItem } from '../store/items';
import { flowFields } from '../store/flowFields';
import { checkItem } from './access';
import { itemView, requireItem } from './manage';
import type { AppContext } from '../kernel/context';
import type { FlowItemPage, Item, ItemPage } from '../../shared/model';

/** One more row than asked tells whether another page follows, without an empty last page. */
function pageOf(
  fetch: (before: number | undefined, limit: number) => StoredItem[],
  cursor: number | undefined,
  limit: number,
): ItemPage {
  const rows = fetch(cursor, limit + 1);
  const items = rows.slice(0, limit).map(itemView);
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
  return {
    ...pageOf((before, limit) => flowItems(app.db, f.id, before, limit), input.cursor, input.limit),
    fields: flowFields(app.db, f.id),
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
  return pageOf((before, limit) => fetch(app.db, user, before, limit), input.cursor, input.limit);
}
