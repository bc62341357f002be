// A deleted flow comes back from the Record Deletion Log (R-L1) with the members and impersonation
// access it had, where what they refer to still exists, and with its field list and items (snapshots from before
// items existed hold neither).
import { restoreGrants } from '../deletions/grants';
import { flowExists, insertFlow } from '../store/flows';
import { replaceFlowFields } from '../store/flowFields';
import { restoreItem } from '../items/restorers';
import { plural, type FlowField, type FlowType, type Item } from '../../shared/model';
import type { Grant } from '../deletions/snapshots';
import { takenAgain, type RestorerMap } from '../deletions/registry';

declare module '../deletions/snapshots' {
  interface Snapshots {
    flow: { name: string; type: FlowType; grants: Grant[]; fields?: FlowField[]; items?: Item[] };
  }
}

export const flowRestorers: RestorerMap<'flow'> = {
  flow: {
    action: 'flow.restore',
    // A flow comes into Deputy only with a policy import; bringing one back is the same power.
    permissions: () => [{ action: 'policy.import' }],
    apply(app, { name, type, grants, fields = [], items = [] }) {
      if (flowExists(app.db, name)) throw takenAgain(name);
      const id = insertFlow(app.db, name, type);
      replaceFlowFields(app.db, id, fields);
      const { skipped } = restoreGrants(app, grants);
      const back = items.filter((item) => restoreItem(app.db, id, item)).length;
      const taken = items.length - back;
      return {
        what: `flow ${name}`,
        target: `flow:${name}`,
        notes: items.length ? [`with ${plural(back, 'item')}`] : [],
        skipped: taken ? [...skipped, `${plural(taken, 'item')} whose id is in use again`] : skipped,
      };
    },
  },
};
