// Restore from the Record Deletion Log (R-L1): a deleted service account comes back from its snapshot,
// with its grants and memberships; its keys do not (their secrets left the keychain with it).
import { DeputyError } from '../errors';
import { authorize } from '../policy/authorize';
import { insertPrincipal } from '../store/principals';
import type { AppContext } from '../context';
import type { Caller } from '../auth/sessions';
import { plural, type FlowRole, type SharedResource } from '../../shared/model';

interface ServiceAccountSnapshot {
  principal: { username: string; displayName: string; status: 'active' | 'inactive' | 'locked' };
  sharedResources: SharedResource[];
  impersonationFlows: { name: string }[];
  memberOf: { name: string; role: FlowRole }[];
  groups: string[];
  keys: { id: string }[];
}

export function restoreFromDeletionLog(app: AppContext, caller: Caller, seq: number): string {
  const rec = app.db.prepare(`SELECT log, action, details FROM audit_log WHERE seq = ?`).get(seq) as
    { log: string; action: string; details: string } | undefined;
  if (!rec) throw new DeputyError('not_found', `There is no audit record ${seq}.`, 'seq');
  if (rec.log !== 'record_deletion' || rec.action !== 'serviceAccount.delete') {
    throw new DeputyError(
      'invalid_input',
      `Record ${seq} is not a deleted service account; only those can be restored yet.`,
      'seq',
    );
  }
  authorize(app, caller, 'serviceAccount.create');
  const snap = (JSON.parse(rec.details) as { snapshot: ServiceAccountSnapshot }).snapshot;
  const { username } = snap.principal;
  if (app.db.prepare(`SELECT 1 FROM principals WHERE username = ?`).get(username)) {
    throw new DeputyError('conflict', `${username} exists again (restored already, or the name was reused).`);
  }
  const skipped: string[] = [];
  app.db.transaction(() => {
    const id = insertPrincipal(
      app.db,
      { username, displayName: snap.principal.displayName, kind: 'service', status: snap.principal.status, roles: [] },
      app.clock().toISOString(),
    );
    for (const r of snap.sharedResources) {
      app.db.prepare(`INSERT INTO shared_resource_grants (service_account_id, resource) VALUES (?, ?)`).run(id, r);
    }
    const flowId = (name: string) =>
      app.db.prepare(`SELECT id FROM flows WHERE name = ?`).pluck().get(name) as number | undefined;
    for (const f of snap.impersonationFlows) {
      const fid = flowId(f.name);
      if (fid === undefined) skipped.push(`impersonation access to ${f.name} (flow gone)`);
      else
        app.db
          .prepare(`INSERT INTO flow_impersonation_grants (flow_id, service_account_id) VALUES (?, ?)`)
          .run(fid, id);
    }
    for (const m of snap.memberOf) {
      const fid = flowId(m.name);
      if (fid === undefined) skipped.push(`membership of ${m.name} (flow gone)`);
      else
        app.db.prepare(`INSERT INTO flow_members (flow_id, principal_id, role) VALUES (?, ?, ?)`).run(fid, id, m.role);
    }
    for (const g of snap.groups) {
      app.db
        .prepare(`INSERT OR IGNORE INTO group_members (group_id, principal_id) SELECT id, ? FROM groups WHERE name = ?`)
        .run(id, g);
    }
    app.audit.append({
      operator: caller.username,
      action: 'serviceAccount.restore',
      target: username,
      message: `Restored service account ${username} from audit record ${seq}${snap.keys.length ? `; ${plural(snap.keys.length, 'access key')} not restored (secrets are never kept): create new ones` : ''}${skipped.length ? `; not restored: ${skipped.join(', ')}` : ''}`,
      details: { fromRecord: seq, skipped, keysNotRestored: snap.keys.map((k) => k.id) },
    });
  })();
  return username;
}
