// The service accounts' kind of grant: impersonation through a shared resource (R-K2).
import { findPrincipal } from '../store/principals';
import type { GrantKindMap } from '../deletions/registry';
import type { SharedResource } from '../../shared/model';

declare module '../deletions/snapshots' {
  interface GrantKinds {
    sharedResource: { serviceAccount: string; resource: SharedResource };
  }
}

export const serviceAccountGrantKinds: GrantKindMap<'sharedResource'> = {
  sharedResource: {
    describe: (g) => `impersonation through ${g.resource} for ${g.serviceAccount}`,
    permission: () => ({ action: 'sharedResource.grant' }),
    restore(db, g) {
      const sa = findPrincipal(db, g.serviceAccount);
      if (sa?.kind !== 'service') return `service account ${g.serviceAccount} is gone`;
      const r = db
        .prepare(`INSERT OR IGNORE INTO shared_resource_grants (service_account_id, resource) VALUES (?, ?)`)
        .run(sa.id, g.resource);
      return r.changes > 0 ? null : 'in place already';
    },
    ofPrincipal: (db, id, serviceAccount) =>
      (
        db
          .prepare(`SELECT resource FROM shared_resource_grants WHERE service_account_id = ? ORDER BY resource`)
          .pluck()
          .all(id) as SharedResource[]
      ).map((resource) => ({ type: 'sharedResource', serviceAccount, resource })),
  },
};
