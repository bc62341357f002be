import { authorize } from '../policy/authorize';
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
  }) satisfies Pick<Handlers, 'flows.list'>;
