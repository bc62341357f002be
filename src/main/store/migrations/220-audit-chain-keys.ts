import type { Migration } from './index';

/**
 * The ids of the chain keys records were written under (R-L2), so that verify learns which keys to read from the
 * keychain without a pass over the whole log first (SELECT DISTINCT key_id read every record: ~0.45 s at a million,
 * before the walk could start). Filled here from the records; from now on each key is listed when it becomes the
 * current one (audit/keys.ts). A record naming a key that is not listed is one verify cannot check: missing_key.
 */
export const m220AuditChainKeys: Migration = {
  version: 220,
  name: 'audit-chain-keys',
  up(db) {
    db.exec(`
      CREATE TABLE audit_chain_keys (
        key_id TEXT PRIMARY KEY
      ) STRICT, WITHOUT ROWID;
      INSERT INTO audit_chain_keys (key_id) SELECT DISTINCT key_id FROM audit_log WHERE key_id <> '';
    `);
  },
};
