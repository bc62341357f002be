import type { Migration } from './index';

/**
 * Items in flows, and each flow's field list. `created_by` and `assigned_to` are usernames, not principal ids: an
 * item keeps naming its initiator after that person is deleted (as the audit log does), and My Items is read by
 * username. AUTOINCREMENT so that an item id, once named in History, never names another item, and a restored item
 * gets its own id back. The indexes serve keyset paging (newest first) of My Items and of a flow's items.
 */
export const m120Items: Migration = {
  version: 120,
  name: 'items',
  up(db) {
    db.exec(`
      CREATE TABLE items (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        flow_id INTEGER NOT NULL REFERENCES flows (id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('draft', 'in_progress', 'completed')),
        created_by TEXT NOT NULL,
        assigned_to TEXT,
        fields TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(fields) AND json_type(fields) = 'object'),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX items_created_by ON items (created_by, id);
      CREATE INDEX items_assigned_to ON items (assigned_to, id) WHERE assigned_to IS NOT NULL;
      CREATE INDEX items_flow ON items (flow_id, id);

      CREATE TABLE flow_fields (
        flow_id INTEGER NOT NULL REFERENCES flows (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('text', 'number', 'boolean', 'date')),
        required INTEGER NOT NULL CHECK (required IN (0, 1)),
        position INTEGER NOT NULL,
        PRIMARY KEY (flow_id, name)
      ) STRICT;
    `);
  },
};
