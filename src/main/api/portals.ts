import { createDesignObject, deleteDesignObjectNamed, listDesignObjects, setPermissions } from '../portals/objects';
import {
  accountRecordTypes,
  createPortal,
  deletePortalNamed,
  getReport,
  listReports,
  updatePortal,
} from '../portals/manage';
import { applyFix } from '../portals/fix';
import type { AppContext } from '../kernel/context';
import type { Handlers } from './types';

export const portalHandlers = (app: AppContext) =>
  ({
    'designObjects.list': () => listDesignObjects(app),
    'designObjects.create': (input, { caller }) => createDesignObject(app, caller, input),
    'designObjects.setPermissions': (input, { caller }) => setPermissions(app, caller, input.name, input.permissions),
    'designObjects.delete': (input, { caller }) => {
      deleteDesignObjectNamed(app, caller, input.name);
      return null;
    },
    'portals.list': () => listReports(app),
    'portals.get': (input) => getReport(app, input.name),
    'portals.create': (input, { caller }) => createPortal(app, caller, input),
    'portals.update': (input, { caller }) => updatePortal(app, caller, input),
    'portals.delete': (input, { caller }) => {
      deletePortalNamed(app, caller, input.name);
      return null;
    },
    'portals.fix': (input, { caller }) => applyFix(app, caller, input.portal, input.finding),
    'portals.recordTypeAccess': (input) => accountRecordTypes(app, input.serviceAccount),
  }) satisfies Pick<
    Handlers,
    | 'designObjects.list'
    | 'designObjects.create'
    | 'designObjects.setPermissions'
    | 'designObjects.delete'
    | 'portals.list'
    | 'portals.get'
    | 'portals.create'
    | 'portals.update'
    | 'portals.delete'
    | 'portals.fix'
    | 'portals.recordTypeAccess'
  >;
