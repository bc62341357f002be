import { readSettings, writeSettings } from '../store/settings';
import type { AppContext } from '../kernel/context';
import type { Handlers } from './types';
import { SETTING_LABELS, type Settings } from '../../shared/model';

export const settingsHandlers = (app: AppContext) =>
  ({
    'settings.get': () => readSettings(app.db),
    'settings.update': (input, { caller }) => {
      return app.db.transaction(() => {
        const old = readSettings(app.db);
        writeSettings(app.db, input);
        const changed = (Object.entries(input) as [keyof Settings, number][]).filter(
          ([field, value]) => old[field] !== value,
        );
        app.audit.appendAll(
          changed.map(([field, value]) => ({
            log: 'history' as const,
            operator: caller.username,
            action: 'settings.update',
            target: 'settings',
            message: `${SETTING_LABELS[field]}: ${String(old[field])} → ${String(value)}${field.endsWith('Minutes') ? ' minutes' : ''}`,
            details: { field, old: old[field], new: value },
          })),
        );
        return readSettings(app.db);
      })();
    },
  }) satisfies Pick<Handlers, 'settings.get' | 'settings.update'>;
