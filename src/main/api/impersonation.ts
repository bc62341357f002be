import { DeputyError } from '../errors';
import { candidates, listSessions, recent, startImpersonation } from '../impersonation/start';
import { endImpersonation } from '../impersonation/lifecycle';
import { currentImpersonation } from '../impersonation/status';
import { requireOperator } from '../auth/sessions';
import type { AppContext } from '../context';
import type { Handlers } from './types';

export const impersonationHandlers = (app: AppContext) =>
  ({
    'impersonation.candidates': (input, { operator }) => candidates(app, operator, input.query, input.explain),
    'impersonation.recent': (_input, { operator }) => recent(app, operator),
    'impersonation.start': (input, { connectionId, operator }) => {
      startImpersonation(app, connectionId, operator, input);
      const started = currentImpersonation(app, requireOperator(app, connectionId));
      if (!started) throw new Error('the impersonation session did not start');
      return started;
    },
    // Back to me (R-S5).
    'impersonation.end': (_input, { connectionId, operator }) => {
      if (!operator.impersonating) throw new DeputyError('conflict', 'You are not impersonating anyone.');
      endImpersonation(app, connectionId, 'back_to_me');
      return null;
    },
    'impersonation.sessions': (input, { operator }) => listSessions(app, operator, input.all),
    'notices.dismiss': (input, { operator }) => {
      const r = app.db
        .prepare(`UPDATE notices SET seen_at = ? WHERE id = ? AND username = ? AND seen_at IS NULL`)
        .run(app.clock().toISOString(), input.id, operator.username);
      if (r.changes === 0) throw new DeputyError('not_found', 'There is no such unread notice for you.', 'id');
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
