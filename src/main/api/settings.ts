import { authorize } from '../policy/authorize';
import { readSettings, writeSettings } from '../store/settings';
import type { AppContext } from '../context';
import type { Handlers } from './types';

export const settingsHandlers = (app: AppContext) =>
  ({
    'settings.get': () => readSettings(app.db),
    'settings.update': (input, { operator }) => {
      authorize(app, operator, 'settings.update');
      return app.db.transaction(() => {
        const old = readSettings(app.db);
        writeSettings(app.db, input);
        app.audit.append({
          log: 'history',
          operator: operator.username,
          action: 'settings.update',
          target: 'settings',
          message: `Idle lock: ${old.idleLockMinutes} → ${input.idleLockMinutes} minutes`,
          details: { field: 'idleLockMinutes', old: old.idleLockMinutes, new: input.idleLockMinutes },
        });
        return readSettings(app.db);
      })();
    },
  }) satisfies Pick<Handlers, 'settings.get' | 'settings.update'>;
