import { authorize } from '../policy/authorize';
import { addSelfAsFlowAdmin, flowDetail, setFlowImpersonation, setFlowMember } from '../flows/manage';
import { deleteFlow } from '../flows/delete';
import type { AppContext } from '../context';
import type { Handlers } from './types';
import type { FlowSummary } from '../../shared/model';

export const flowHandlers = (app: AppContext) =>
  ({
    'flows.list': (input, { operator }) => {
      authorize(app, operator, 'directory.read');
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
    'flows.get': (input, { operator }) => {
      authorize(app, operator, 'directory.read');
      return flowDetail(app, input.name);
    },
    'flows.setMember': (input, { operator }) => setFlowMember(app, operator, input.flow, input.member, input.role),
    'flows.setImpersonation': (input, { operator }) =>
      setFlowImpersonation(app, operator, input.flow, input.serviceAccount, input.enabled),
    'flows.addSelfAsAdmin': (input, { operator }) => addSelfAsFlowAdmin(app, operator, input.flow),
    'flows.delete': (input, { operator }) => {
      deleteFlow(app, operator, input.name);
      return null;
    },
  }) satisfies Pick<
    Handlers,
    'flows.list' | 'flows.get' | 'flows.setMember' | 'flows.setImpersonation' | 'flows.addSelfAsAdmin' | 'flows.delete'
  >;
