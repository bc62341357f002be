import { assignItem, createItem, deleteItem, editItem, moveItem, submitItem } from '../items/manage';
import { getItem, listFlowItems, listMemberFlows, listMyItems } from '../items/read';
import { completeItem } from '../integrations/run';
import type { AppContext } from '../kernel/context';
import type { Handlers } from './types';

export const itemHandlers = (app: AppContext) =>
  ({
    'items.list': (input, { caller }) => listFlowItems(app, caller, input),
    'items.get': (input, { caller }) => getItem(app, caller, input.id),
    'items.create': (input, { caller }) => createItem(app, caller, input),
    'items.update': (input, { caller }) => editItem(app, caller, input),
    'items.submit': (input, { caller }) => submitItem(app, caller, input),
    'items.assign': (input, { caller }) => assignItem(app, caller, input),
    'items.complete': (input, { caller }) => completeItem(app, caller, input.id),
    'items.reopen': (input, { caller }) => moveItem(app, caller, 'reopen', input.id),
    'items.delete': (input, { caller }) => {
      deleteItem(app, caller, input.id);
      return null;
    },
    'myItems.list': (input, { caller }) => listMyItems(app, caller, input),
    'flows.mine': (_input, { caller }) => listMemberFlows(app, caller),
  }) satisfies Pick<
    Handlers,
    | 'items.list'
    | 'items.get'
    | 'items.create'
    | 'items.update'
    | 'items.submit'
    | 'items.assign'
    | 'items.complete'
    | 'items.reopen'
    | 'items.delete'
    | 'myItems.list'
    | 'flows.mine'
  >;
