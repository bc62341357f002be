import { needsSetup } from '../setup/firstRun';
import { resolveOperator } from '../callers/operator';
import { takeSessionNotice } from '../auth/signIn';
import { currentImpersonation, unreadNotices } from '../impersonation/status';
import { mayImpersonateAnyone } from '../impersonation/start';
import type { AppContext } from '../kernel/context';
import type { Handlers } from './types';

export const appHandlers = (app: AppContext) =>
  ({
    'app.status': async (_input, { connectionId }) => {
      const caller = resolveOperator(app, connectionId, { touch: false });
      return {
        needsSetup: needsSetup(app),
        operator: caller && { username: caller.username, displayName: caller.displayName, roles: caller.roles },
        sessionNotice: caller ? null : takeSessionNotice(app, connectionId),
        impersonation: caller ? currentImpersonation(app, caller) : null,
        notices: caller ? unreadNotices(app, caller.username) : [],
        mayImpersonate: caller ? mayImpersonateAnyone(app, caller) : false,
        keychain: await app.vault.status(),
      };
    },
  }) satisfies Pick<Handlers, 'app.status'>;
