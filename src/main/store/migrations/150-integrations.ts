import type { Migration } from './index';

/**
 * An integration flow's rule: when an item in `source_flow` completes, create an item in `target_flow` as that
 * item's initiator, through the service account `service_account`, with `mapping` (JSON: [{ "from", "to" }]) from
 * source fields to target fields. One rule per integration flow; it goes with its flow (ON DELETE CASCADE, and the
 * flow's deletion snapshot holds it). Source, target and service account are names, not ids, like items' people:
 * a rule whose flow or account was deleted stays readable, and its next run says in the Script Log what is gone.
 * `last_run_at` makes an account that only acts through integrations count as used (R-K13).
 */
export const m150Integrations: Migration = {
  version: 150,
  name: 'integrations',
  up(db) {
    db.exec(`
      CREATE TABLE integrations (
        flow_id INTEGER PRIMARY KEY REFERENCES flows (id) ON DELETE CASCADE,
        source_flow TEXT NOT NULL,
        target_flow TEXT NOT NULL,
        service_account TEXT NOT NULL,
        mapping TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(mapping) AND json_type(mapping) = 'array'),
        submit INTEGER NOT NULL CHECK (submit IN (0, 1)),
        enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        last_run_at TEXT
      ) STRICT;
      CREATE INDEX integrations_source ON integrations (source_flow);
      CREATE INDEX integrations_service_account ON integrations (service_account);
    `);
  },
};
