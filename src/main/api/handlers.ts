// Every contract method's handler, exactly once: a missing or extra one fails the typecheck.
import { accessHandlers } from './access';
import { appHandlers } from './app';
import { auditHandlers } from './audit';
import { authHandlers } from './auth';
import { directoryHandlers } from './directory';
import { flowHandlers } from './flows';
import { impersonationHandlers } from './impersonation';
import { integrationHandlers } from './integrations';
import { itemHandlers } from './items';
import { policyHandlers } from './policy';
import { portalHandlers } from './portals';
import { serviceAccountHandlers } from './serviceAccounts';
import { settingsHandlers } from './settings';
import { setupHandlers } from './setup';
import type { AppContext } from '../kernel/context';
import type { Handlers } from './types';

export function createHandlers(app: AppContext): Handlers {
  return {
    ...appHandlers(app),
    ...setupHandlers(app),
    ...authHandlers(app),
    ...directoryHandlers(app),
    ...settingsHandlers(app),
    ...flowHandlers(app),
    ...itemHandlers(app),
    ...integrationHandlers(app),
    ...accessHandlers(app),
    ...policyHandlers(app),
    ...auditHandlers(app),
    ...impersonationHandlers(app),
    ...serviceAccountHandlers(app),
    ...portalHandlers(app),
  } satisfies Handlers;
}
