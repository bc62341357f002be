// The service accounts' kind of grant: impersonation through a shared resource (R-K2).
import { serviceAccountId } from '../store/principals';
import { grantSharedResourceIfMissing, sharedResourcesOf } from '../store/grants';
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
      const sa = serviceAccountId(db, g.serviceAccount);
      if (sa === undefined) return `service account ${g.serviceAccount} is gone`;
      return grantSharedResourceIfMissing(db, sa, g.resource) ? null : 'in place already';
    },
    ofPrincipal: (db, id, serviceAccount) =>
      sharedResourcesOf(db, id).map((resource) => ({ type: 'sharedResource', serviceAccount, resource })),
  },
};
