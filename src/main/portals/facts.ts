// The facts the findings read, loaded from the database and the directory snapshot decide() reads.
import { allDesignObjects } from '../store/designObjects';
import { allPortals } from '../store/portals';
import type { AppContext } from '../kernel/context';
import type { PortalFacts } from './held';

export function loadFacts(app: AppContext): PortalFacts {
  const policy = app.policy();
  return {
    objects: new Map(allDesignObjects(app.db).map(({ id: _id, ...o }) => [o.name, o])),
    portals: allPortals(app.db).map(({ id: _id, ...p }) => p),
    principals: policy.principals,
    groupsOf: policy.groupsOf,
  };
}
