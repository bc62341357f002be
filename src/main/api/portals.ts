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
import { listPortalKeys, publishPortal, rotatePortalKey } from '../portals/keys';
import { decidePortalUse } from '../portals/decision';
import { DeputyError } from '../kernel/errors';
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
    'portals.publish': (input, { caller }) => publishPortal(app, caller, input.name),
    'portals.rotate': (input, { caller }) => rotatePortalKey(app, caller, input.name),
    'portals.keys': () => listPortalKeys(app),
    'portals.decide': (input, { caller }) => {
      // A portal's key asks about its own portal only; a person names the portal.
      const own = caller.kind === 'service' ? caller.portal : undefined;
      if (own !== undefined && input.portal !== undefined && input.portal !== own) {
        const asked = input.portal;
        throw new DeputyError(
          'forbidden',
          `This key is portal ${own}'s; it cannot ask about portal ${asked}.`,
          'portal',
        );
      }
      const portal = own ?? input.portal;
      if (portal === undefined) throw new DeputyError('invalid_input', 'Name the portal to ask about.', 'portal');
      return decidePortalUse(app, caller, portal, input.useCase, input.object);
    },
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
    | 'portals.publish'
    | 'portals.rotate'
    | 'portals.keys'
    | 'portals.decide'
  >;
