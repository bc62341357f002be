import type { Migration } from './index';

const WATCHED = [
  'principals',
  'principal_roles',
  'groups',
  'group_members',
  'flows',
  'flow_members',
  'shared_resource_grants',
  'flow_impersonation_grants',
];

/**
 * Every change to what decide() reads bumps one counter, in the same transaction, so the cached
 * policy snapshot can never be stale: no write path can forget to invalidate it.
 */
export const m030PolicyGeneration: Migration = {
  version: 30,
  name: 'policy-generation',
  up(db) {
    db.exec(`INSERT INTO settings (key, value) VALUES ('policy_generation', '0')`);
    for (const table of WATCHED) {
      for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
        db.exec(`
          CREATE TRIGGER ${table}_${op.toLowerCase()}_policy_generation AFTER ${op} ON ${table}
          BEGIN UPDATE settings SET value = CAST(value AS INTEGER) + 1 WHERE key = 'policy_generation'; END;
        `);
      }
    }
  },
};
