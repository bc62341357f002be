import { authorize } from '../policy/authorize';
import { listDirectory } from '../directory/list';
import type { AppContext } from '../context';
import type { Handlers } from './types';

export const directoryHandlers = (app: AppContext) =>
  ({
    'directory.list': (input, { operator }) => {
      authorize(app, operator, 'directory.read');
      return listDirectory(app.db, input);
    },
  }) satisfies Pick<Handlers, 'directory.list'>;
