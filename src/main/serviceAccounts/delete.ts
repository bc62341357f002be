// Deleting a service account: its keys leave the keychain, then the account goes with a full snapshot
// in the Record Deletion Log (R-L1), so it could be restored.
import { authorize } from '../policy/authorize';
import { associatedResources, requireServiceAccount } from './accounts';
import { deleteAllKeySecrets } from './keys';
import { plural } from '../../shared/model';
import type { AppContext } from '../context';
import type { Caller } from '../auth/sessions';

export async function deleteServiceAccount(app: AppContext, caller: Caller, username: string): Promise<void> {
  authorize(app, caller, 'serviceAccount.delete');
  const sa = requireServiceAccount(app, username);
  const snapshot = {
    principal: { username: sa.username, displayName: sa.displayName, kind: sa.kind, status: sa.status },
    ...associatedResources(app, caller, username),
    groups: app.db
      .prepare(`SELECT g.name FROM group_members m JOIN groups g ON g.id = m.group_id WHERE m.principal_id = ?`)
      .pluck()
      .all(sa.id),
    keys: app.db
      .prepare(
        `SELECT id, created_at, expires_at, disabled_at, last_used_at FROM access_keys WHERE service_account_id = ?`,
      )
      .all(sa.id),
  };
  await deleteAllKeySecrets(app, sa.id);
  app.db.transaction(() => {
    app.db.prepare(`DELETE FROM principals WHERE id = ?`).run(sa.id);
    app.audit.append({
      log: 'record_deletion',
      operator: caller.username,
      action: 'serviceAccount.delete',
      target: username,
      message: `Deleted service account ${username} with ${plural(snapshot.keys.length, 'access key')}`,
      details: { snapshot },
    });
  })();
}
