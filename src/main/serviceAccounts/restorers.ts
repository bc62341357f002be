// A deleted service account comes back from the Record Deletion Log (R-L1) without its keys: their
// secrets were never kept, so new ones must be created.
import { restorePrincipal, type PrincipalSnapshot } from '../directory/restorers';
import { restoreGrants } from '../deletions/grants';
import { plural } from '../../shared/model';
import type { Grant } from '../deletions/snapshots';
import type { RestorerMap } from '../deletions/registry';

export interface AccessKeySnapshot {
  id: string;
  created_at: string;
  expires_at: string | null;
  disabled_at: string | null;
  last_used_at: string | null;
}

declare module '../deletions/snapshots' {
  interface Snapshots {
    serviceAccount: { principal: PrincipalSnapshot; grants: Grant[]; keys: AccessKeySnapshot[] };
  }
}

export const serviceAccountRestorers: RestorerMap<'serviceAccount'> = {
  serviceAccount: {
    action: 'serviceAccount.restore',
    permissions: () => [{ action: 'serviceAccount.create' }],
    apply(app, { principal, grants, keys }) {
      restorePrincipal(app, principal);
      const { skipped } = restoreGrants(app, grants);
      return {
        what: `service account ${principal.username}`,
        target: principal.username,
        notes: keys.length
          ? [`${plural(keys.length, 'access key')} not restored (secrets are never kept): create new ones`]
          : [],
        skipped,
        extra: { keysNotRestored: keys.map((k) => k.id) },
      };
    },
  },
};
