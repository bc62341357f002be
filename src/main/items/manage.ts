// Changing items: create, edit, assign, submit, complete, reopen, delete. Each change commits with exactly one
// History record of the fields that changed (R-L1); a deletion commits with its snapshot in the Record Deletion
// Log instead, so it can be restored.
import { DeputyError } from '../kernel/errors';
import { decide } from '../policy/decide';
import { effectiveIdentity, type Caller } from '../kernel/caller';
import { requireFlow } from '../flows/manage';
import { requirePrincipal } from '../directory/manage';
import { recordDeletion } from '../deletions/record';
import { flowFields } from '../store/flowFields';
import { deleteItemById, findItem, insertItem, updateItem, type StoredItem } from '../store/items';
import { IMPERSONABLE_FLOW_TYPES, type FieldValue, type Item } from '../../shared/model';
import { decidingRule, factsOf } from '../../shared/policy';
import { applyFieldPatch, requireFields } from './fields';
import { changeMessage, itemChanges, type ItemValues } from './history';
import { checkItem, flowResource } from './access';
import { NEXT_STATE, stateLabel, withArticle, type ItemOp } from './rules';
import type { AppContext } from '../kernel/context';

/** What the API returns: the item without its flow's row id. */
export const itemView = ({ flowId: _flowId, ...item }: StoredItem): Item => item;

export function requireItem(app: AppContext, id: number): StoredItem {
  const item = findItem(app.db, id);
  if (!item) throw new DeputyError('not_found', `There is no item ${id}.`, 'id');
  return item;
}

/**
 * The item was read, checked and changed in memory, and another process on the file (a second console, the CLI)
 * changed it before this write: writing on would undo that change without a History record of it.
 */
const changedMeanwhile = (id: number) =>
  new DeputyError('conflict', `Item ${id} was changed meanwhile, in another console; reload it and try again.`, 'id');

/** The assignee acts on the item, so must be someone the flow lets complete items (a participant or Flow Admin). */
function requireAssignee(app: AppContext, flow: string, username: string): string {
  const p = requirePrincipal(app, username, 'assignTo');
  const d = decide(app.policy(), { actor: p.username, action: 'item.complete', resource: flowResource(flow) });
  if (!d.allowed) {
    throw new DeputyError(
      'invalid_input',
      `${p.username} cannot act on items in ${flow}: ${factsOf(d)}.`,
      'assignTo',
      false,
      decidingRule(d),
    );
  }
  return p.username;
}

/**
 * Writes `after` over `item` with its History record, in one transaction; refuses a change that changes nothing.
 * `then` runs in that transaction once the change is written (what a completion starts).
 */
function commit(
  app: AppContext,
  caller: Caller,
  op: ItemOp,
  item: StoredItem,
  after: ItemValues,
  then?: (changed: Item) => void,
): Item {
  const changes = itemChanges(item, after);
  if (changes.length === 0) throw new DeputyError('conflict', `Item ${item.id} already holds these values.`);
  return app.db.transaction(() => {
    const updatedAt = app.clock().toISOString();
    if (!updateItem(app.db, item.id, item.updatedAt, { ...after, updatedAt })) throw changedMeanwhile(item.id);
    app.audit.append({
      log: 'history',
      operator: caller.username,
      action: `item.${op}`,
      target: `item:${item.id}`,
      message: changeMessage(item.id, after.title, changes),
      details: { item: item.id, flow: item.flow, changes },
    });
    // What was just written, not read back: the row is exactly `after` over `item` (no trigger rewrites it).
    const { title, state, assignedTo, fields } = after;
    const changed = itemView({ ...item, title, state, assignedTo, fields, updatedAt });
    then?.(changed);
    return changed;
  })();
}

export function createItem(
  app: AppContext,
  caller: Caller,
  input: { flow: string; title: string; fields?: Record<string, FieldValue> | undefined },
): Item {
  const f = requireFlow(app, input.flow);
  if (!IMPERSONABLE_FLOW_TYPES.includes(f.type)) {
    throw new DeputyError(
      'invalid_input',
      `${f.name} is ${withArticle(f.type)}; items live in processes, boards and datasets.`,
      'flow',
    );
  }
  checkItem(app, caller, 'create', f.name, null);
  const fields = applyFieldPatch(f.name, flowFields(app.db, f.id), {}, input.fields ?? {});
  const values: ItemValues = { title: input.title, state: 'draft', assignedTo: null, fields };
  return app.db.transaction(() => {
    const now = app.clock().toISOString();
    // The item is the effective user's: while impersonating or acting for jdoe, jdoe's (R-K5, R-S9).
    const createdBy = effectiveIdentity(caller).username;
    const id = insertItem(app.db, { flowId: f.id, ...values, createdBy, createdAt: now, updatedAt: now });
    const changes = itemChanges(null, values);
    app.audit.append({
      log: 'history',
      operator: caller.username,
      action: 'item.create',
      target: `item:${id}`,
      message: changeMessage(id, values.title, changes, `created in ${f.name}`),
      details: { item: id, flow: f.name, changes },
    });
    return itemView(requireItem(app, id));
  })();
}

export function editItem(
  app: AppContext,
  caller: Caller,
  input: { id: number; title?: string | undefined; fields?: Record<string, FieldValue> | undefined },
): Item {
  const item = requireItem(app, input.id);
  checkItem(app, caller, 'update', item.flow, item);
  const list = flowFields(app.db, item.flowId);
  const fields = applyFieldPatch(item.flow, list, item.fields, input.fields ?? {});
  if (item.state !== 'draft') requireFields(list, fields);
  return commit(app, caller, 'update', item, { ...item, title: input.title ?? item.title, fields });
}

export function assignItem(app: AppContext, caller: Caller, input: { id: number; to: string | null }): Item {
  const item = requireItem(app, input.id);
  checkItem(app, caller, 'assign', item.flow, item);
  const assignedTo = input.to === null ? null : requireAssignee(app, item.flow, input.to);
  return commit(app, caller, 'assign', item, { ...item, assignedTo });
}

/** Draft → in progress, with the required fields filled in; optionally assigned in the same change. */
export function submitItem(
  app: AppContext,
  caller: Caller,
  input: { id: number; assignTo?: string | undefined },
): Item {
  const item = requireItem(app, input.id);
  checkItem(app, caller, 'submit', item.flow, item);
  requireFields(flowFields(app.db, item.flowId), item.fields);
  const assignedTo = input.assignTo === undefined ? item.assignedTo : requireAssignee(app, item.flow, input.assignTo);
  return commit(app, caller, 'submit', item, { ...item, state: 'in_progress', assignedTo });
}

/**
 * Complete (in progress → completed) or reopen (completed → in progress, Flow Admins only). A completion goes
 * through integrations/run.ts's completeItem, which passes the integrations it starts as `then`.
 */
export function moveItem(
  app: AppContext,
  caller: Caller,
  op: 'complete' | 'reopen',
  id: number,
  then?: (moved: Item) => void,
): Item {
  const item = requireItem(app, id);
  checkItem(app, caller, op, item.flow, item);
  const state = NEXT_STATE[op];
  if (state === undefined) throw new Error(`${op} does not move an item`);
  return commit(app, caller, op, item, { ...item, state }, then);
}

export function deleteItem(app: AppContext, caller: Caller, id: number): void {
  const item = requireItem(app, id);
  checkItem(app, caller, 'delete', item.flow, item);
  app.db.transaction(() => {
    if (!deleteItemById(app.db, item.id, item.updatedAt)) throw changedMeanwhile(item.id);
    recordDeletion(app, caller, {
      deleted: 'item',
      snapshot: { item: itemView(item) },
      action: 'item.delete',
      target: `item:${item.id}`,
      message: `Deleted item ${item.id} ${item.title} in ${item.flow} (${stateLabel(item.state)}, created by ${item.createdBy})`,
    });
  })();
}
