import { authorize } from '../policy/authorize';
import { listDirectory } from '../directory/list';
import { changeRoles, changeStatus } from '../directory/manage';
import { listSharedGrants, setSharedGrant } from '../directory/sharedGrants';
import { createGroup, listGroups, setGroupMember } from '../directory/groups';
import { deleteGroup, deleteUser } from '../directory/delete';
import { setPassword } from '../directory/password';
import type { AppContext } from '../context';
import type { Handlers } from './types';

export const directoryHandlers = (app: AppContext) =>
  ({
    'directory.list': (input, { operator }) => {
      authorize(app, operator, 'directory.read');
      return listDirectory(app, operator, input);
    },
    'directory.setStatus': (input, { operator }) => changeStatus(app, operator, input.username, input.status),
    'directory.setRoles': (input, { operator }) => changeRoles(app, operator, input.username, input.roles),
    'directory.delete': (input, { operator }) => {
      deleteUser(app, operator, input.username);
      return null;
    },
    'directory.setPassword': async (input, { operator }) => {
      await setPassword(app, operator, input.username, input.password);
      return null;
    },
    'groups.delete': (input, { operator }) => {
      deleteGroup(app, operator, input.name);
      return listGroups(app);
    },
    'groups.list': (_input, { operator }) => {
      authorize(app, operator, 'directory.read');
      return listGroups(app);
    },
    'groups.create': (input, { operator }) => createGroup(app, operator, input.name),
    'groups.setMember': (input, { operator }) =>
      setGroupMember(app, operator, input.group, input.username, input.member),
    'sharedResources.list': (_input, { operator }) => {
      authorize(app, operator, 'directory.read');
      return listSharedGrants(app);
    },
    'sharedResources.set': (input, { operator }) =>
      setSharedGrant(app, operator, input.serviceAccount, input.resource, input.enabled),
  }) satisfies Pick<
    Handlers,
    | 'directory.list'
    | 'directory.setStatus'
    | 'directory.setRoles'
    | 'directory.delete'
    | 'directory.setPassword'
    | 'groups.delete'
    | 'groups.list'
    | 'groups.create'
    | 'groups.setMember'
    | 'sharedResources.list'
    | 'sharedResources.set'
  >;
