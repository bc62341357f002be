import type { Migration } from './index';

/**
 * Migration 030's counter could come back to a value it had held for other contents: a change counted 5 → 6 and
 * rolled back (a call that failed after writing) leaves 5, and the next change makes it 6 again, so a process that
 * built its snapshot during the rolled-back change took it as current, and decide() read what was never committed
 * (test/unit/policyCache.test.ts). Another process's commit could meet the same number. The triggers now write a
 * random token instead: a value is never held twice. Same tables as 030 (every table decide() reads), same triggers'
 * names.
 */
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

export const m240PolicyGenerationToken: Migration = {
  version: 240,
  name: 'policy-generation-token',
  up(db) {
    for (const table of WATCHED) {
      for (const op of ['insert', 'update', 'delete']) {
        db.exec(`
          DROP TRIGGER ${table}_${op}_policy_generation;
          CREATE TRIGGER ${table}_${op}_policy_generation AFTER ${op.toUpperCase()} ON ${table}
          BEGIN UPDATE settings SET value = lower(hex(randomblob(16))) WHERE key = 'policy_generation'; END;
        `);
      }
    }
  },
};
