// Restore from the Record Deletion Log (R-L1): what was deleted comes back from its snapshot, with the
// grants that still make sense (what they refer to must exist), audited with the record it came from.
// Secrets never come back: they were never logged (access keys, password verifiers). Each area restores
// its own kinds (directory/, serviceAccounts/, flows/, items/ restorers.ts); this lists them and runs one.
import { DeputyError } from '../kernel/errors';
import { authorize, requestFor } from '../policy/authorize';
import { decide } from '../policy/decide';
import { directoryRestorers } from '../directory/restorers';
import { serviceAccountRestorers } from '../serviceAccounts/restorers';
import { flowRestorers } from '../flows/restorers';
import { itemRestorers } from '../items/restorers';
import { portalRestorers } from '../portals/restorers';
import { grantRestorers } from './grants';
import type { Restorer, RestorerMap } from './registry';
import type { DeletionDetails, Snapshots } from './snapshots';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';
import { deletionRecord, restoredBy } from '../audit/query';
import { DELETED_KINDS, restorableKind, type DeletedKind } from '../../shared/model';
import { factsOf } from '../../shared/policy';

/** Every kind the log can hold a snapshot of has exactly one restorer: the typecheck fails otherwise. */
const RESTORERS: RestorerMap<DeletedKind> = {
  ...directoryRestorers,
  ...serviceAccountRestorers,
  ...flowRestorers,
  ...itemRestorers,
  ...portalRestorers,
  ...grantRestorers,
};

const notRestored = (skipped: string[]) => (skipped.length ? `; not restored: ${skipped.join('; ')}` : '');

interface Restorable<K extends DeletedKind = DeletedKind> {
  restorer: Restorer<K>;
  snapshot: Snapshots[K];
}

/** A record restores once. */
function refuseRestoredAgain(app: AppContext, seq: number): void {
  const by = restoredBy(
    app.db,
    DELETED_KINDS.map((k) => RESTORERS[k].action),
    seq,
  );
  if (by !== undefined)
    throw new DeputyError('conflict', `Record ${seq} was restored already, by record ${by}.`, 'seq');
}

/** Record `seq`'s snapshot and its restorer; refuses a record that is not a deletion, or was restored already. */
function restorable(app: AppContext, seq: number): Restorable {
  const rec = deletionRecord(app.db, seq);
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
  refuseRestoredAgain(app, seq);
  const { snapshot } = details as unknown as DeletionDetails;
  return { restorer: RESTORERS[kind] as Restorer<DeletedKind>, snapshot };
}

/**
 * Whether the caller may restore record `seq`, asked without recording anything: the window shows Restore only
 * where the restore itself would be allowed. Null when allowed, else why not.
 */
export function restoreRefusal(app: AppContext, caller: Caller, seq: number): string | null {
  let target: Restorable;
  try {
    target = restorable(app, seq);
  } catch (err) {
    if (err instanceof DeputyError) return err.message;
    throw err;
  }
  const data = app.policy();
  for (const p of target.restorer.permissions(target.snapshot)) {
    const d = decide(data, requestFor(caller, p.action, p.resource));
    // The facts, as the refusal's own message gives them (authorize): its rule is no part of the sentence.
    if (!d.allowed) return factsOf(d);
  }
  return target.restorer.refusal?.(caller, target.snapshot) ?? null;
}

/** Restores what record `seq` of the Record Deletion Log holds; returns what came back. */
export function restoreFromDeletionLog(app: AppContext, caller: Caller, seq: number): string {
  const { restorer, snapshot } = restorable(app, seq);
  // Outside the write: a refusal's own audit record must not roll back with it.
  for (const p of restorer.permissions(snapshot)) authorize(app, caller, p.action, p.resource);
  const refused = restorer.refusal?.(caller, snapshot);
  if (refused) throw new DeputyError('forbidden', refused);
  return app.db.transaction(() => {
    refuseRestoredAgain(app, seq); // again inside the write: another console on the file may have restored it since
    const r = restorer.apply(app, snapshot);
    app.audit.append({
      operator: caller.username,
      action: restorer.action,
      target: r.target,
      message: `Restored ${r.what} from record ${seq}${(r.notes ?? []).map((n) => `; ${n}`).join('')}${notRestored(r.skipped)}`,
      details: { fromRecord: seq, skipped: r.skipped, ...r.extra },
    });
    return r.what;
  })();
}
