// A deleted flow comes back from the Record Deletion Log (R-L1) with the members and impersonation
// access it had, where what they refer to still exists, and with its field list, items and integration rule (snapshots
// from before items existed hold none of these).
import { restoreGrants } from '../deletions/grants';
import { flowExists, insertFlow } from '../store/flows';
import { replaceFlowFields } from '../store/flowFields';
import { restoreIntegration } from '../store/integrations';
import { restoreItem } from '../items/restorers';
import { plural, type FlowField, type FlowType, type IntegrationRule, type Item } from '../../shared/model';
import type { Grant } from '../deletions/snapshots';
import { takenAgain, type RestorerMap } from '../deletions/registry';

declare module '../deletions/snapshots' {
  interface Snapshots {
    flow: {
      name: string;
      type: FlowType;
      grants: Grant[];
      fields?: FlowField[];
      items?: Item[];
      integration?: IntegrationRule;
    };
  }
}

export const flowRestorers: RestorerMap<'flow'> = {
  flow: {
    action: 'flow.restore',
    // A flow comes into Deputy only with a policy import; bringing one back is the same power.
    permissions: () => [{ action: 'policy.import' }],
    apply(app, { name, type, grants, fields = [], items = [], integration }) {
      if (flowExists(app.db, name)) throw takenAgain(name);
      const id = insertFlow(app.db, name, type);
      replaceFlowFields(app.db, id, fields);
      if (integration) restoreIntegration(app.db, id, integration);
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
