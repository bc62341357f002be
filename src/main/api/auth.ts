import { signIn, signOut } from '../auth/signIn';
import type { AppContext } from '../kernel/context';
import type { Handlers } from './types';

export const authHandlers = (app: AppContext) =>
  ({
    'auth.signIn': (input, { connectionId }) => signIn(app, connectionId, input.username, input.password),
    'auth.signOut': (_input, { caller }) => {
      signOut(app, caller);
      return null;
    },
  }) satisfies Pick<Handlers, 'auth.signIn' | 'auth.signOut'>;
