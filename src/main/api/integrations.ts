import { getIntegration, setIntegration } from '../integrations/configure';
import type { AppContext } from '../kernel/context';
import type { Handlers } from './types';

export const integrationHandlers = (app: AppContext) =>
  ({
    'integrations.get': (input) => getIntegration(app, input.flow),
    'integrations.set': (input, { caller }) => setIntegration(app, caller, input.flow, input.rule),
  }) satisfies Pick<Handlers, 'integrations.get' | 'integrations.set'>;
