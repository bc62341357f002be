import type { Migration } from './index';

/**
 * Issue 23. `principals.signin_locked_at`: when failed sign-ins locked the account; NULL for every other lock (a demo
 * or an imported bundle says "locked" on purpose). Only such a lockout expires, after the sign-in lockout setting's
 * minutes, counted from this time (so changing the setting applies to lockouts already running).
 * `flow_members.self_added_from`: a Super Admin made themself Flow Admin (R-K4); the role they held before ('none'
 * when they were not a member), so the console can offer to undo it. NULL for every other membership; any later
 * change to that member's role clears it.
 */
export const m200LockoutAndSelfAdmin: Migration = {
  version: 200,
  name: 'lockout-and-self-admin',
  up(db) {
    db.exec(`
      ALTER TABLE principals ADD COLUMN signin_locked_at TEXT;
      ALTER TABLE flow_members ADD COLUMN self_added_from TEXT
        CHECK (self_added_from IN ('none', 'initiator', 'participant', 'viewer'));
    `);
  },
};
