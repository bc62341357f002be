// R-L3 for a key id locked after repeated failures (an access key's or a portal's): every check its lock refuses is
// recorded, without a record per attempt. The first refused check of a lock is recorded at once, so an administrator
// sees that someone goes on trying; the rest are counted with the lock (store/accessKeys.ts) and recorded as one
// record at the key id's first check after the lock has ended. A record per attempt would let anyone who knows a key
// id (ids are shown, not secret) grow the log at the rate they can send requests; the lock exists to stop that.
import { keyLock, setRefusedWhileLocked } from '../store/accessKeys';
import type { AppContext } from '../kernel/context';

/** Which key a check was for: its records' action and the words for it. */
export interface KeyKind {
  action: 'accessKey.check' | 'portalKey.check';
  label: 'Access key' | 'Portal API key';
}

/**
 * Settles the key id's lock for a check at `now`: true when the lock refuses the check (recorded or counted), false
 * when there is no lock in force (the count of a lock that has ended is recorded first).
 */
export function refusedByLock(app: AppContext, keyId: string, now: string, kind: KeyKind): boolean {
  const seen = keyLock(app.db, keyId);
  // A program's every call comes here: no lock, or one ended with nothing left to record, costs this one read.
  if (!seen || (seen.lockedUntil <= now && seen.refused === null)) return false;
  const record = (message: string) =>
    app.audit.append({ operator: null, action: kind.action, target: keyId, outcome: 'refused', message });
  return app.db.transaction((): boolean => {
    // Read again under the write lock: another process (a CLI run, a second console) may have counted meanwhile.
    const lock = keyLock(app.db, keyId) ?? seen;
    if (lock.lockedUntil > now) {
      if (lock.refused === null) {
        record(
          `${kind.label} check refused for ${keyId}: locked until ${lock.lockedUntil}; the checks refused until then ` +
            `are counted, and recorded as one record after it`,
        );
      }
      setRefusedWhileLocked(app.db, keyId, (lock.refused ?? 0) + 1);
      return true;
    }
    const more = (lock.refused ?? 0) - 1;
    if (more > 0) {
      record(
        `${kind.label} checks refused for ${keyId} while it was locked until ${lock.lockedUntil}: ${more} more ` +
          `after the first`,
      );
    }
    setRefusedWhileLocked(app.db, keyId, null);
    return false;
  })();
}
