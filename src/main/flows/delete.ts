// Deleting a flow: its Flow Admins may (flow.settings), and the flow goes with its members and
// impersonation grants as a snapshot in the Record Deletion Log (R-L1), restorable from there.
import { authorize } from '../policy/authorize';
import { requireFlow, resourceOf } from './manage';
import { grantsOfFlow } from '../deletions/grants';
import { recordDeletion } from '../deletions/record';
import { deleteFlowById } from '../store/flows';
import { formatResource } from '../../shared/policy';
import { plural } from '../../shared/model';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';

export function deleteFlow(app: AppContext, caller: Caller, name: string): void {
  const f = requireFlow(app, name);
  authorize(app, caller, 'flow.settings', resourceOf(f));
  const grants = grantsOfFlow(app.db, f.id, f.name);
  app.db.transaction(() => {
    deleteFlowById(app.db, f.id);
    recordDeletion(app, caller, {
      deleted: 'flow',
      snapshot: { name: f.name, type: f.type, grants },
      action: 'flow.delete',
      target: formatResource(resourceOf(f)),
      message: `Deleted flow ${f.name} (${f.type}) with ${plural(grants.filter((g) => g.type === 'flowMember').length, 'member')} and ${plural(grants.filter((g) => g.type === 'flowImpersonation').length, 'impersonation grant')}`,
    });
  })();
}
