// Creating a flow in the console. Flows otherwise come only by policy import, so creating one is the same power
// (policy.import, a Super Admin's); the creator is its first Flow Admin, so that R-K4's "only a Flow Admin grants its
// impersonation access" has someone to ask from the start. One History record, in the same transaction.
import { DeputyError } from '../kernel/errors';
import { findFlow, insertFlow, insertFlowMember } from '../store/flows';
import { flowDetail, resourceOf } from './manage';
import { formatResource } from '../../shared/policy';
import type { AppContext } from '../kernel/context';
import { effectiveIdentity, type Caller } from '../kernel/caller';
import type { FlowDetail, FlowType } from '../../shared/model';

export function createFlow(app: AppContext, caller: Caller, name: string, type: FlowType): FlowDetail {
  const existing = findFlow(app.db, name);
  if (existing) throw new DeputyError('conflict', `There is a flow named ${existing.name} already.`, 'name');
  // The creator is whom the caller acts as (R-S9: an operator impersonating a Super Admin creates it as that user).
  const creator = effectiveIdentity(caller);
  return app.db.transaction(() => {
    const id = insertFlow(app.db, name, type);
    insertFlowMember(app.db, id, creator.principalId, null, 'flow_admin');
    app.audit.append({
      log: 'history',
      operator: caller.username,
      action: 'flow.create',
      target: formatResource(resourceOf({ id, name, type })),
      message: `Created flow ${name} (${type}), with ${creator.username} as its Flow Admin`,
      details: { field: 'flow', old: null, new: { name, type, flowAdmin: creator.username } },
    });
    return flowDetail(app, name);
  })();
}
