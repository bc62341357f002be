import { listDirectory } from '../directory/list';
import { changeRoles, changeStatus } from '../directory/manage';
import { listSharedGrants, setSharedGrant } from '../directory/sharedGrants';
import { createGroup, listGroups, setGroupMember } from '../directory/groups';
import { deleteGroup, deleteUser } from '../directory/delete';
import { setPassword } from '../directory/password';
import { changeDisplayName, createPerson } from '../directory/people';
import type { AppContext } from '../kernel/context';
import type { Handlers } from './types';

export const directoryHandlers = (app: AppContext) =>
  ({
    'directory.list': (input, { caller }) => {
      return listDirectory(app, caller, input);
    },
    'directory.setStatus': (input, { caller }) => changeStatus(app, caller, input.username, input.status),
    'directory.setRoles': (input, { caller }) => changeRoles(app, caller, input.username, input.roles),
    'directory.delete': (input, { caller }) => {
      deleteUser(app, caller, input.username);
      return null;
    },
    'directory.create': (input, { caller }) => createPerson(app, caller, input),
    'directory.setDisplayName': (input, { caller }) =>
      changeDisplayName(app, caller, input.username, input.displayName),
    'directory.setPassword': async (input, { caller }) => {
      await setPassword(app, caller, input.username, input.password);
      return null;
    },
    'groups.delete': (input, { caller }) => {
      deleteGroup(app, caller, input.name);
      return listGroups(app);
    },
    'groups.list': () => {
      return listGroups(app);
    },
    'groups.create': (input, { caller }) => createGroup(app, caller, input.name),
    'groups.setMember': (input, { caller }) => setGroupMember(app, caller, input.group, input.username, input.member),
    'sharedResources.list': () => {
      return listSharedGrants(app);
    },
    'sharedResources.set': (input, { caller }) =>
      setSharedGrant(app, caller, input.serviceAccount, input.resource, input.enabled),
  }) satisfies Pick<
    Handlers,
    | 'directory.list'
    | 'directory.setStatus'
    | 'directory.setRoles'
    | 'directory.delete'
    | 'directory.setPassword'
    | 'directory.create'
    | 'directory.setDisplayName'
    | 'groups.delete'
    | 'groups.list'
    | 'groups.create'
    | 'groups.setMember'
    | 'sharedResources.list'
    | 'sharedResources.set'
  >;
