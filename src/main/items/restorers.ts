// A deleted item comes back from the Record Deletion Log (R-L1) with its id, state, people and fields, into the
// flow it was in, as it was when deleted.
import { DeputyError } from '../kernel/errors';
import { findFlow } from '../store/flows';
import { insertItem, itemExists } from '../store/items';
import { takenAgain, type RestorerMap } from '../deletions/registry';
import type { Item } from '../../shared/model';
import type { Db } from '../kernel/ports';

declare module '../deletions/snapshots' {
  interface Snapshots {
    item: { item: Item };
  }
}

/** Puts an item back with the id it had; false when that id is in use (restored already). */
export function restoreItem(db: Db, flowId: number, { flow: _flow, ...item }: Item): boolean {
  if (itemExists(db, item.id)) return false;
  insertItem(db, { ...item, flowId });
  return true;
}

export const itemRestorers: RestorerMap<'item'> = {
  item: {
    action: 'item.restore',
    // Only a Flow Admin deletes an item, and putting back someone else's item is the same power.
    permissions: ({ item }) => [{ action: 'item.delete', resource: { type: 'flow', name: item.flow } }],
    apply(app, { item }) {
      const f = findFlow(app.db, item.flow);
      if (!f) throw new DeputyError('not_found', `Flow ${item.flow} is gone; restore it first.`);
      if (!restoreItem(app.db, f.id, item)) throw takenAgain(`Item ${item.id}`);
      return { what: `item ${item.id} ${item.title}`, target: `item:${item.id}`, skipped: [] };
    },
  },
};
