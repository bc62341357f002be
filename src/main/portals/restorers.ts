// A deleted design object or portal comes back from the Record Deletion Log (R-L1) as it was. A portal whose objects
// were deleted since comes back without those (said in the restore record); one whose service account is gone comes
// back naming it, and its findings say so (R-A1).
import { takenAgain, type RestorerMap } from '../deletions/registry';
import { findDesignObject, insertDesignObject } from '../store/designObjects';
import { findPortal, insertPortal } from '../store/portals';
import type { DesignObject, Portal } from '../../shared/portals';

declare module '../deletions/snapshots' {
  interface Snapshots {
    designObject: { object: DesignObject };
    portal: { portal: Portal };
  }
}

export const portalRestorers: RestorerMap<'designObject' | 'portal'> = {
  designObject: {
    action: 'designObject.restore',
    permissions: () => [{ action: 'serviceAccount.update' }],
    apply(app, { object }) {
      if (findDesignObject(app.db, object.name)) throw takenAgain(object.name);
      insertDesignObject(app.db, object, app.clock().toISOString());
      return { what: `design object ${object.name}`, target: `designObject:${object.name}`, skipped: [] };
    },
  },
  portal: {
    action: 'portal.restore',
    permissions: () => [{ action: 'serviceAccount.update' }],
    apply(app, { portal }) {
      if (findPortal(app.db, portal.name)) throw takenAgain(`Portal ${portal.name}`);
      const skipped = portal.uses.flatMap((u) =>
        u.objects.filter((o) => !findDesignObject(app.db, o)).map((o) => `${o} (deleted since) for ${u.useCase}`),
      );
      const uses = portal.uses
        .map((u) => ({ ...u, objects: u.objects.filter((o) => findDesignObject(app.db, o)) }))
        .filter((u) => u.objects.length > 0);
      insertPortal(app.db, { ...portal, uses }, app.clock().toISOString());
      return { what: `portal ${portal.name}`, target: `portal:${portal.name}`, skipped };
    },
  },
};
