// Deleting a flow: its Flow Admins may (flow.settings), and the flow goes with its members and
// impersonation grants, its field list, its items and its integration rule as a snapshot in the Record Deletion Log (R-L1), restorable
// from there.
import { authorize } from '../policy/authorize';
import { requireFlow, resourceOf } from './manage';
import { grantsOfFlow } from '../deletions/grants';
import { recordDeletion } from '../deletions/record';
import { deleteFlowById } from '../store/flows';
import { flowFields } from '../store/flowFields';
import { allFlowItems } from '../store/items';
import { integrationOf, ruleView } from '../store/integrations';
import { itemView } from '../items/manage';
import { formatResource } from '../../shared/policy';
import { plural } from '../../shared/model';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';

export function deleteFlow(app: AppContext, caller: Caller, name: string): void {
  const f = requireFlow(app, name);
  authorize(app, caller, 'flow.settings', resourceOf(f));
  const grants = grantsOfFlow(app.db, f.id, f.name);
  app.db.transaction(() => {
    // Read inside the write: the items go with the flow (ON DELETE CASCADE), so the snapshot must hold them all.
    const fields = flowFields(app.db, f.id);
    const items = allFlowItems(app.db, f.id).map(itemView);
    const stored = integrationOf(app.db, f.id);
    const integration = stored && ruleView(stored);
    deleteFlowById(app.db, f.id);
    recordDeletion(app, caller, {
      deleted: 'flow',
      snapshot: { name: f.name, type: f.type, grants, fields, items, ...(integration ? { integration } : {}) },
      action: 'flow.delete',
      target: formatResource(resourceOf(f)),
      message: `Deleted flow ${f.name} (${f.type}) with ${plural(grants.filter((g) => g.type === 'flowMember').length, 'member')} and ${plural(grants.filter((g) => g.type === 'flowImpersonation').length, 'impersonation grant')}${items.length ? `, and ${plural(items.length, 'item')}` : ''}`,
    });
  })();
}
