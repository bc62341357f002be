// Restore from the Record Deletion Log (R-L1): what was deleted comes back from its snapshot, with the
// grants that still make sense (what they refer to must exist), audited with the record it came from.
// Secrets never come back: they were never logged (access keys, password verifiers).
import { DeputyError } from '../kernel/errors';
import { authorize } from '../policy/authorize';
import { insertPrincipal } from '../store/principals';
import { rolesBeyond } from '../directory/manage';
import { authorizeGrant, describeGrant, restoreGrant, type Grant } from './grants';
import type { DeletionDetails, PrincipalSnapshot, Snapshots } from './record';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';
import {
  DELETED_KINDS,
  plural,
  principalLabel,
  restorableKind,
  type AuditRecord,
  type DeletedKind,
} from '../../shared/model';

const RESTORE_ACTION: Record<DeletedKind, string> = {
  user: 'principal.restore',
  serviceAccount: 'serviceAccount.restore',
  group: 'group.restore',
  flow: 'flow.restore',
  grants: 'grants.restore',
};

interface Restored {
  /** What came back: `user Jane Doe (jdoe)`, `impersonation through global_my_items for po-bot`. */
  what: string;
  target: string;
  /** What the person restoring it must know: what did not come back and what to do about it. */
  notes?: string[];
  skipped: string[];
  extra?: Record<string, unknown>;
}

interface Restorer<K extends DeletedKind> {
  /** Outside the write: a refusal's own audit record must not roll back with it. */
  authorize(app: AppContext, caller: Caller, snapshot: Snapshots[K]): void;
  apply(app: AppContext, snapshot: Snapshots[K]): Restored;
}

function requireFree(app: AppContext, table: 'principals' | 'groups' | 'flows', column: string, name: string) {
  if (app.db.prepare(`SELECT 1 FROM ${table} WHERE ${column} = ?`).get(name)) {
    throw new DeputyError('conflict', `${name} exists again (restored already, or the name was taken since).`);
  }
}

function restoreGrants(app: AppContext, grants: Grant[]): { restored: string[]; skipped: string[] } {
  const restored: string[] = [];
  const skipped: string[] = [];
  for (const g of grants) {
    const why = restoreGrant(app.db, g);
    if (why === null) restored.push(describeGrant(g));
    else skipped.push(why);
  }
  return { restored, skipped };
}

const notRestored = (skipped: string[]) => (skipped.length ? `; not restored: ${skipped.join('; ')}` : '');

function restorePrincipal(app: AppContext, p: PrincipalSnapshot): void {
  requireFree(app, 'principals', 'username', p.username);
  insertPrincipal(
    app.db,
    { username: p.username, displayName: p.displayName, kind: p.kind, status: p.status, roles: p.roles },
    app.clock().toISOString(),
  );
}

const RESTORERS: { [K in DeletedKind]: Restorer<K> } = {
  user: {
    authorize(app, caller, { principal }) {
      authorize(app, caller, 'directory.write');
      // Restoring someone with a role is granting it.
      const beyond = rolesBeyond(caller, principal.roles);
      if (beyond.length) {
        throw new DeputyError(
          'forbidden',
          `You may not restore ${principal.username}: they held ${beyond.join(', ')}, which you do not hold.`,
        );
      }
    },
    apply(app, { principal, grants }) {
      restorePrincipal(app, principal);
      const { skipped } = restoreGrants(app, grants);
      return {
        what: `user ${principalLabel(principal)}`,
        target: principal.username,
        notes: principal.hadPassword ? ['no password yet (passwords are never logged): set one in Directory'] : [],
        skipped,
      };
    },
  },
  serviceAccount: {
    authorize: (app, caller) => void authorize(app, caller, 'serviceAccount.create'),
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
  group: {
    authorize: (app, caller) => void authorize(app, caller, 'directory.write'),
    apply(app, { name, grants }) {
      requireFree(app, 'groups', 'name', name);
      app.db.prepare(`INSERT INTO groups (name) VALUES (?)`).run(name);
      const { skipped } = restoreGrants(app, grants);
      return {
        what: `group ${name}`,
        target: `group ${name}`,
        skipped,
      };
    },
  },
  flow: {
    // A flow comes into Deputy only with a policy import; bringing one back is the same power.
    authorize: (app, caller) => void authorize(app, caller, 'policy.import'),
    apply(app, { name, type, grants }) {
      requireFree(app, 'flows', 'name', name);
      app.db.prepare(`INSERT INTO flows (name, type) VALUES (?, ?)`).run(name, type);
      const { skipped } = restoreGrants(app, grants);
      return {
        what: `flow ${name}`,
        target: `flow:${name}`,
        skipped,
      };
    },
  },
  grants: {
    authorize(app, caller, { grants }) {
      for (const g of grants) authorizeGrant(app, caller, g);
    },
    apply(app, { grants }) {
      const { restored, skipped } = restoreGrants(app, grants);
      if (restored.length === 0) throw new DeputyError('conflict', `Nothing to restore: ${skipped.join('; ')}.`);
      return {
        what: restored.join('; '),
        target: grants.length === 1 ? describeGrant(grants[0]!) : plural(grants.length, 'grant'),
        skipped,
      };
    },
  },
};

/** Restores what record `seq` of the Record Deletion Log holds; returns what came back. */
export function restoreFromDeletionLog(app: AppContext, caller: Caller, seq: number): string {
  const rec = app.db.prepare(`SELECT log, outcome, details FROM audit_log WHERE seq = ?`).get(seq) as
    { log: AuditRecord['log']; outcome: AuditRecord['outcome']; details: string } | undefined;
  if (!rec) throw new DeputyError('not_found', `There is no audit record ${seq}.`, 'seq');
  const details = JSON.parse(rec.details) as Record<string, unknown>;
  const kind = restorableKind({ log: rec.log, outcome: rec.outcome, details });
  if (!kind) {
    throw new DeputyError(
      'invalid_input',
      rec.log === 'record_deletion'
        ? `Record ${seq} holds no snapshot that can be restored.`
        : `Record ${seq} is not in the Record Deletion Log; only deletions can be restored.`,
      'seq',
    );
  }
  const restoredBy = app.db
    .prepare(
      `SELECT seq FROM audit_log WHERE action IN (${DELETED_KINDS.map(() => '?').join(', ')})
       AND outcome = 'ok' AND json_extract(details, '$.fromRecord') = ? LIMIT 1`,
    )
    .pluck()
    .get(...DELETED_KINDS.map((k) => RESTORE_ACTION[k]), seq) as number | undefined;
  if (restoredBy !== undefined) {
    throw new DeputyError('conflict', `Record ${seq} was restored already, by record ${restoredBy}.`, 'seq');
  }
  const { snapshot } = details as unknown as DeletionDetails;
  const restorer = RESTORERS[kind] as Restorer<typeof kind>;
  restorer.authorize(app, caller, snapshot as Snapshots[typeof kind]);
  return app.db.transaction(() => {
    const r = restorer.apply(app, snapshot as Snapshots[typeof kind]);
    app.audit.append({
      operator: caller.username,
      action: RESTORE_ACTION[kind],
      target: r.target,
      message: `Restored ${r.what} from record ${seq}${(r.notes ?? []).map((n) => `; ${n}`).join('')}${notRestored(r.skipped)}`,
      details: { fromRecord: seq, skipped: r.skipped, ...r.extra },
    });
    return r.what;
  })();
}
