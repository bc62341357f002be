import type { Migration } from './index';

/**
 * Which running core owns an impersonation session, and until when its lease holds: crash recovery closes only
 * sessions whose owner is gone (its process dead, or its lease run out), not those of another live process on
 * the same file (a second console, `deputy serve` beside the window). Rows from before have no owner: recovered as
 * they always were.
 */
export const m140ImpersonationOwner: Migration = {
  version: 140,
  name: 'impersonation-owner',
  up(db) {
    db.exec(`
      ALTER TABLE impersonation_sessions ADD COLUMN owner TEXT;
      ALTER TABLE impersonation_sessions ADD COLUMN lease_until TEXT;
    `);
  },
};
