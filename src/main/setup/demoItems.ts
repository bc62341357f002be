// The demo's items, made the way people make them: each step through the same services a person's call reaches,
// as that person, so every item has its History and the completed Purchase Request has run the Purchase Request →
// Purchase Order integration through po-bot (a Purchase Order of jdoe's, its records `jdoe (po-bot)`).
import { findPrincipal } from '../store/principals';
import { identityOf, type OperatorCaller } from '../kernel/caller';
import { createItem, submitItem } from '../items/manage';
import { completeItem } from '../integrations/run';
import type { AppContext } from '../kernel/context';
import type { FieldValue } from '../../shared/model';

interface DemoItem {
  flow: string;
  title: string;
  createdBy: string;
  fields: Record<string, FieldValue>;
  /** Submitted to this person; left a draft when absent. */
  assignTo?: string;
  /** Completed by this person once submitted. */
  completedBy?: string;
}

const PR = 'Purchase Request';

const DEMO_ITEMS: readonly DemoItem[] = [
  {
    flow: PR,
    title: 'Laptop for new hire',
    createdBy: 'jdoe',
    fields: { Amount: 1450, Vendor: 'Northwind', 'Needed by': '2027-01-15' },
    assignTo: 'pmehta',
    completedBy: 'pmehta',
  },
  {
    flow: PR,
    title: 'Standing desk',
    createdBy: 'jdoe',
    fields: { Amount: 450, Vendor: 'Ergo Ltd' },
    assignTo: 'pmehta',
  },
  { flow: PR, title: 'Monitor arm', createdBy: 'kchen', fields: { Amount: 120 } },
];

/** A person of the demo as a caller: the services decide and record as for their own call. */
function as(app: AppContext, username: string): OperatorCaller {
  const p = findPrincipal(app.db, username);
  if (!p) throw new Error(`demo.json has no ${username}`);
  return { kind: 'operator', connectionId: 'demo-setup', ...identityOf(p) };
}

/** Makes the demo's items; runs inside loadDemo's transaction, after the bundle is written. */
export function makeDemoItems(app: AppContext): number {
  for (const d of DEMO_ITEMS) {
    const item = createItem(app, as(app, d.createdBy), { flow: d.flow, title: d.title, fields: d.fields });
    if (!d.assignTo) continue;
    submitItem(app, as(app, d.createdBy), { id: item.id, assignTo: d.assignTo });
    if (d.completedBy) completeItem(app, as(app, d.completedBy), item.id);
  }
  return DEMO_ITEMS.length;
}
