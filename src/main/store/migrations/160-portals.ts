import type { Migration } from './index';

/**
 * Design objects (record types, process models, document folders, data stores, web APIs) with their permission
 * lists, and portals with the use cases they have and the objects each use case uses (issue 20; RULES.md R-A1–R-A3).
 * An object's name is unique across kinds, so a portal, a fix and a bundle name it alone. A permission entry names a
 * user or a group by name, or `default` (Default (All Other Users), grantee_name ''), like items' people: an entry
 * whose user was deleted stays readable and reaches nobody. A portal names its service account by username, as an
 * integration does, and its findings say when that account is gone. An object a portal uses cannot be deleted
 * (no ON DELETE on portal_uses.object_id): the service says which portal holds it.
 */
export const m160Portals: Migration = {
  version: 160,
  name: 'portals',
  up(db) {
    db.exec(`
      CREATE TABLE design_objects (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('record_type', 'process_model', 'document_folder', 'data_store', 'web_api')),
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE design_object_permissions (
        object_id INTEGER NOT NULL REFERENCES design_objects (id) ON DELETE CASCADE,
        grantee_type TEXT NOT NULL CHECK (grantee_type IN ('user', 'group', 'default')),
        grantee_name TEXT NOT NULL CHECK ((grantee_type = 'default') = (grantee_name = '')),
        level TEXT NOT NULL CHECK (level IN ('initiator', 'viewer', 'editor', 'administrator', 'deny')),
        position INTEGER NOT NULL,
        PRIMARY KEY (object_id, grantee_type, grantee_name)
      ) STRICT;

      CREATE TABLE portals (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        service_account TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX portals_service_account ON portals (service_account);

      CREATE TABLE portal_uses (
        portal_id INTEGER NOT NULL REFERENCES portals (id) ON DELETE CASCADE,
        use_case TEXT NOT NULL CHECK (use_case IN ('query_records', 'change_records', 'start_process',
          'upload_documents', 'display_documents', 'external_database', 'cdt', 'custom_integration')),
        object_id INTEGER NOT NULL REFERENCES design_objects (id),
        PRIMARY KEY (portal_id, use_case, object_id)
      ) STRICT;
      CREATE INDEX portal_uses_object ON portal_uses (object_id);
    `);
  },
};
