import { randomUUID } from 'node:crypto';
import type { Migration } from './index';

/**
 * The value lists in the CHECKs below are frozen as released (39fa648); they are not src/shared/model.ts's
 * constants, which may grow. A new flow type, role… needs a migration that rebuilds the table, so new and
 * upgraded databases accept the same values.
 */
export const m010Directory: Migration = {
  version: 10,
  name: 'directory',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE principals (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL COLLATE NOCASE UNIQUE,
        display_name TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL CHECK (kind IN ('human', 'service', 'guest', 'system')),
        status TEXT NOT NULL CHECK (status IN ('active', 'inactive', 'locked')),
        -- scrypt verifier of an operator's password (never the password itself); NULL: cannot sign in.
        password_hash TEXT,
        failed_sign_ins INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX principals_display_name ON principals (display_name COLLATE NOCASE);

      CREATE TABLE principal_roles (
        principal_id INTEGER NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('super_admin', 'iam_admin', 'user_admin', 'auditor', 'impersonator')),
        PRIMARY KEY (principal_id, role)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX principal_roles_role ON principal_roles (role, principal_id);

      CREATE TABLE groups (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL COLLATE NOCASE UNIQUE,
        system INTEGER NOT NULL DEFAULT 0 CHECK (system IN (0, 1))
      ) STRICT;

      CREATE TABLE group_members (
        group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
        principal_id INTEGER NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
        PRIMARY KEY (group_id, principal_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX group_members_principal ON group_members (principal_id);

      CREATE TABLE flows (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL COLLATE NOCASE UNIQUE,
        type TEXT NOT NULL CHECK (type IN ('process', 'board', 'dataset', 'integration', 'app', 'chat', 'space'))
      ) STRICT;

      CREATE TABLE flow_members (
        id INTEGER PRIMARY KEY,
        flow_id INTEGER NOT NULL REFERENCES flows (id) ON DELETE CASCADE,
        principal_id INTEGER REFERENCES principals (id) ON DELETE CASCADE,
        group_id INTEGER REFERENCES groups (id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('flow_admin', 'initiator', 'participant', 'viewer')),
        CHECK ((principal_id IS NULL) <> (group_id IS NULL)),
        UNIQUE (flow_id, principal_id, group_id)
      ) STRICT;

      CREATE TABLE shared_resource_grants (
        service_account_id INTEGER NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
        resource TEXT NOT NULL CHECK (resource IN ('global_my_items', 'user_group_management', 'all_flows_integrations')),
        PRIMARY KEY (service_account_id, resource)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE flow_impersonation_grants (
        flow_id INTEGER NOT NULL REFERENCES flows (id) ON DELETE CASCADE,
        service_account_id INTEGER NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
        PRIMARY KEY (flow_id, service_account_id)
      ) STRICT, WITHOUT ROWID;

      INSERT INTO groups (name, system) VALUES ('Service Account', 1);
    `);
    // Scopes this database's keychain entries, so two installs never share secrets.
    db.prepare(`INSERT INTO settings (key, value) VALUES ('install_id', ?)`).run(randomUUID());
  },
};
