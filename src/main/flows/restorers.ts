// A deleted flow comes back from the Record Deletion Log (R-L1) with the members and impersonation
// access it had, where what they refer to still exists.
import { restoreGrants } from '../deletions/grants';
import { flowExists, insertFlow } from '../store/flows';
import type { FlowType } from '../../shared/model';
import type { Grant } from '../deletions/snapshots';
import { takenAgain, type RestorerMap } from '../deletions/registry';

declare module '../deletions/snapshots' {
  interface Snapshots {
    flow: { name: string; type: FlowType; grants: Grant[] };
  }
}

export const flowRestorers: RestorerMap<'flow'> = {
  flow: {
    action: 'flow.restore',
    // A flow comes into Deputy only with a policy import; bringing one back is the same power.
    permissions: () => [{ action: 'policy.import' }],
    apply(app, { name, type, grants }) {
      if (flowExists(app.db, name)) throw takenAgain(name);
      insertFlow(app.db, name, type);
      const { skipped } = restoreGrants(app, grants);
      return { what: `flow ${name}`, target: `flow:${name}`, skipped };
    },
  },
};
