import {
  addSelfAsFlowAdmin,
  flowDetail,
  removeSelfAsFlowAdmin,
  setFlowImpersonation,
  setFlowMember,
} from '../flows/manage';
import { deleteFlow } from '../flows/delete';
import { createFlow } from '../flows/create';
import { setFlowFields } from '../flows/fields';
import type { AppContext } from '../kernel/context';
import type { Handlers } from './types';
import type { FlowSummary } from '../../shared/model';

export const flowHandlers = (app: AppContext) =>
  ({
    'flows.list': (input) => {
      const flows = [...app.policy().flows.values()]
        .filter((f) => !input.type || f.type === input.type)
        .sort((a, b) => a.name.localeCompare(b.name));
      return flows.map((f): FlowSummary => ({
        name: f.name,
        type: f.type,
        members: f.members.size + f.groupRoles.size,
        impersonation: [...f.impersonation].sort(),
      }));
    },
    'flows.create': (input, { caller }) => createFlow(app, caller, input.name, input.type),
    'flows.get': (input) => {
      return flowDetail(app, input.name);
    },
    'flows.setMember': (input, { caller }) =>
      setFlowMember(app, caller, input.flow, input.member, input.role, input.adding),
    'flows.setImpersonation': (input, { caller }) =>
      setFlowImpersonation(app, caller, input.flow, input.serviceAccount, input.enabled),
    'flows.addSelfAsAdmin': (input, { caller }) => addSelfAsFlowAdmin(app, caller, input.flow),
    'flows.removeSelfAsAdmin': (input, { caller }) => removeSelfAsFlowAdmin(app, caller, input.flow),
    'flows.setFields': (input, { caller }) => setFlowFields(app, caller, input.flow, input.fields),
    'flows.delete': (input, { caller }) => {
      deleteFlow(app, caller, input.name);
      return null;
    },
  }) satisfies Pick<
    Handlers,
    | 'flows.list'
    | 'flows.create'
    | 'flows.get'
    | 'flows.setMember'
    | 'flows.setImpersonation'
    | 'flows.addSelfAsAdmin'
    | 'flows.removeSelfAsAdmin'
    | 'flows.setFields'
    | 'flows.delete'
  >;
