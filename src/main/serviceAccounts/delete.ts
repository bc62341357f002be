// Deleting a service account: its keys leave the keychain, then the account goes with a full snapshot
// in the Record Deletion Log (R-L1), so it could be restored (without keys: secrets are never kept).
import { requireServiceAccount } from './accounts';
import { deleteAllKeySecrets } from './keys';
import { grantsOfPrincipal } from '../deletions/grants';
import { recordDeletion } from '../deletions/record';
import { refuseWhileNamed } from '../portals/references';
import { deletePrincipal } from '../store/principals';
import { keySnapshotsOf } from '../store/accessKeys';
import type { AccessKeySnapshot } from './restorers';
import { plural } from '../../shared/model';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';

export async function deleteServiceAccount(app: AppContext, caller: Caller, username: string): Promise<void> {
  const sa = requireServiceAccount(app, username);
  // Before its keys leave the keychain: a refused deletion changes nothing.
  refuseWhileNamed(app, 'user', sa.username);
  const principal = {
    username: sa.username,
    displayName: sa.displayName,
    kind: sa.kind,
    status: sa.status,
    roles: [],
    hadPassword: false,
  };
  const grants = grantsOfPrincipal(app.db, sa.id, sa.username);
  const keys: AccessKeySnapshot[] = keySnapshotsOf(app.db, sa.id);
  await deleteAllKeySecrets(app, sa.id);
  app.db.transaction(() => {
    deletePrincipal(app.db, sa.id);
    recordDeletion(app, caller, {
      deleted: 'serviceAccount',
      snapshot: { principal, grants, keys },
      action: 'serviceAccount.delete',
      target: username,
      message: `Deleted service account ${username} with ${plural(keys.length, 'access key')}`,
    });
  })();
}
