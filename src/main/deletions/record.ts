// The Record Deletion Log (R-L1): whatever is deleted is written there as a full snapshot, in the same
// transaction as the deletion, so it can be restored from the log (deletions/restore.ts).
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';
import type { DeletionDetails, Grant, Snapshots } from './snapshots';
import type { DeletedKind } from '../../shared/model';

/**
 * A grant given or changed is a field change (History); a grant taken away is a deletion, so it goes to
 * the Record Deletion Log with its snapshot and can be restored.
 */
export function recordGrantChange(
  app: AppContext,
  caller: Caller,
  change: {
    grant: Grant;
    removed: boolean;
    action: string;
    target: string;
    message: string;
    /** The History record's details (field, old, new) when the grant was not removed. */
    history: Record<string, unknown>;
  },
): void {
  const { grant, removed, history, ...entry } = change;
  if (removed) recordDeletion(app, caller, { deleted: 'grants', snapshot: { grants: [grant] }, ...entry });
  else app.audit.append({ log: 'history', operator: caller.username, ...entry, details: history });
}

export function recordDeletion<K extends DeletedKind>(
  app: AppContext,
  caller: Caller,
  entry: { deleted: K; snapshot: Snapshots[K]; action: string; target: string; message: string },
): number {
  const details: DeletionDetails<K> = { deleted: entry.deleted, snapshot: entry.snapshot };
  return app.audit.append({
    log: 'record_deletion',
    operator: caller.username,
    action: entry.action,
    target: entry.target,
    message: entry.message,
    details: { ...details },
  });
}
