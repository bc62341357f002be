import { createFirstAdmin, loadDemo } from '../setup/firstRun';
import type { AppContext } from '../kernel/context';
import type { Handlers } from './types';

export const setupHandlers = (app: AppContext) =>
  ({
    'setup.createFirstAdmin': (input, { connectionId }) => createFirstAdmin(app, connectionId, input),
    'setup.loadDemo': (input, { connectionId }) => loadDemo(app, connectionId, input.password),
  }) satisfies Pick<Handlers, 'setup.createFirstAdmin' | 'setup.loadDemo'>;
