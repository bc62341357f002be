import { DeputyError } from '../kernel/errors';
import { candidates, listSessions, recent, startImpersonation } from '../impersonation/start';
import { endImpersonation } from '../impersonation/lifecycle';
import { markNoticeSeen } from '../store/notices';
import type { AppContext } from '../kernel/context';
import type { Handlers } from './types';

export const impersonationHandlers = (app: AppContext) =>
  ({
    'impersonation.candidates': (input, { caller }) => candidates(app, caller, input.query, input.explain),
    'impersonation.recent': (_input, { caller }) => recent(app, caller),
    'impersonation.start': (input, { caller }) => startImpersonation(app, caller, input),
    // Back to me (R-S5).
    'impersonation.end': (_input, { caller }) => {
      if (!caller.onBehalfOf) throw new DeputyError('conflict', 'You are not impersonating anyone.');
      endImpersonation(app, caller.connectionId, 'back_to_me');
      return null;
    },
    'impersonation.sessions': (input, { caller }) => listSessions(app, caller, input.all),
    'notices.dismiss': (input, { caller }) => {
      if (!markNoticeSeen(app.db, input.id, caller.username, app.clock().toISOString()))
        throw new DeputyError('not_found', 'There is no such unread notice for you.', 'id');
      return null;
    },
  }) satisfies Pick<
    Handlers,
    | 'impersonation.candidates'
    | 'impersonation.recent'
    | 'impersonation.start'
    | 'impersonation.end'
    | 'impersonation.sessions'
    | 'notices.dismiss'
  >;
