import {
  associatedResources,
  createServiceAccount,
  listServiceAccounts,
  removeAllImpersonation,
  renameServiceAccount,
} from '../serviceAccounts/accounts';
import { deleteServiceAccount } from '../serviceAccounts/delete';
import { createKey, deleteKey, listKeys, setKeyEnabled } from '../serviceAccounts/keys';
import type { AppContext } from '../context';
import type { Handlers } from './types';

export const serviceAccountHandlers = (app: AppContext) =>
  ({
    'serviceAccounts.list': (_input, { operator }) => listServiceAccounts(app, operator),
    'serviceAccounts.create': (input, { operator }) => {
      createServiceAccount(app, operator, input.username, input.displayName);
      return listServiceAccounts(app, operator);
    },
    'serviceAccounts.rename': (input, { operator }) => {
      renameServiceAccount(app, operator, input.username, input.displayName);
      return null;
    },
    'serviceAccounts.delete': async (input, { operator }) => {
      await deleteServiceAccount(app, operator, input.username);
      return null;
    },
    'serviceAccounts.associated': (input, { operator }) => associatedResources(app, operator, input.username),
    'serviceAccounts.removeAllImpersonation': (input, { operator }) =>
      removeAllImpersonation(app, operator, input.username),
    'keys.list': (input, { operator }) => listKeys(app, operator, input.username),
    'keys.create': (input, { operator }) => createKey(app, operator, input.username, input.days),
    'keys.setEnabled': (input, { operator }) => {
      setKeyEnabled(app, operator, input.keyId, input.enabled);
      return null;
    },
    'keys.delete': async (input, { operator }) => {
      await deleteKey(app, operator, input.keyId);
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
