import { signIn } from '../auth/signIn';
import { endImpersonation } from '../impersonation/lifecycle';
import type { AppContext } from '../context';
import type { Handlers } from './types';

export const authHandlers = (app: AppContext) =>
  ({
    'auth.signIn': (input, { connectionId }) => signIn(app, connectionId, input.username, input.password),
    'auth.signOut': (_input, { connectionId, operator }) => {
      endImpersonation(app, connectionId, 'signed_out');
      app.audit.append({
        operator: operator.username,
        action: 'auth.signOut',
        target: operator.username,
        message: 'Signed out',
      });
      app.sessions.end(connectionId);
      return null;
    },
  }) satisfies Pick<Handlers, 'auth.signIn' | 'auth.signOut'>;
