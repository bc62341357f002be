import { authorize } from '../policy/authorize';
import { verifyAudit } from '../audit/verify';
import { queryAudit } from '../audit/query';
import type { AppContext } from '../context';
import type { Handlers } from './types';

export const auditHandlers = (app: AppContext) =>
  ({
    'audit.list': (input, { operator }) => {
      authorize(app, operator, 'audit.read');
      return queryAudit(app.db, input);
    },
    'audit.verify': async (_input, { operator }) => {
      authorize(app, operator, 'audit.read');
      await app.anchor.sync();
      return verifyAudit(app.db, app.vault, app.anchor);
    },
  }) satisfies Pick<Handlers, 'audit.list' | 'audit.verify'>;
