import {
  associatedResources,
  createServiceAccount,
  listServiceAccounts,
  removeAllImpersonation,
  renameServiceAccount,
} from '../serviceAccounts/accounts';
import { deleteServiceAccount } from '../serviceAccounts/delete';
import { createKey, deleteKey, listKeys, setKeyEnabled } from '../serviceAccounts/keys';
import type { AppContext } from '../kernel/context';
import type { Handlers } from './types';

export const serviceAccountHandlers = (app: AppContext) =>
  ({
    'serviceAccounts.list': () => listServiceAccounts(app),
    'serviceAccounts.create': (input, { caller }) => {
      createServiceAccount(app, caller, input.username, input.displayName);
      return listServiceAccounts(app);
    },
    'serviceAccounts.rename': (input, { caller }) => {
      renameServiceAccount(app, caller, input.username, input.displayName);
      return null;
    },
    'serviceAccounts.delete': async (input, { caller }) => {
      await deleteServiceAccount(app, caller, input.username);
      return null;
    },
    'serviceAccounts.associated': (input, { caller }) => associatedResources(app, caller, input.username),
    'serviceAccounts.removeAllImpersonation': (input, { caller }) =>
      removeAllImpersonation(app, caller, input.username),
    'keys.list': (input, { caller }) => listKeys(app, caller, input.username),
    'keys.create': (input, { caller }) => createKey(app, caller, input.username, input.days),
    'keys.setEnabled': (input, { caller }) => {
      setKeyEnabled(app, caller, input.keyId, input.enabled);
      return null;
    },
    'keys.delete': async (input, { caller }) => {
      await deleteKey(app, caller, input.keyId);
      return null;
    },
  }) satisfies Pick<
    Handlers,
    | 'serviceAccounts.list'
    | 'serviceAccounts.create'
    | 'serviceAccounts.rename'
    | 'serviceAccounts.delete'
    | 'serviceAccounts.associated'
    | 'serviceAccounts.removeAllImpersonation'
    | 'keys.list'
    | 'keys.create'
    | 'keys.setEnabled'
    | 'keys.delete'
  >;
