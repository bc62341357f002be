import type { Migration } from './index';

/**
 * R-L3 for a locked key id: the checks its lock refuses are counted with the lock, so that they are recorded (the
 * first at once, the rest as one record once the lock has ended: serviceAccounts/lockedChecks.ts) without a record
 * per attempt, which would let anyone who knows a key id grow the log at the rate they can send requests.
 */
export const m250LockedChecksCounted: Migration = {
  version: 250,
  name: 'locked-checks-counted',
  up(db) {
    db.exec(`ALTER TABLE access_key_locks ADD COLUMN refused INTEGER`);
  },
};
