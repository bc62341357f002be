// Where each table's SQL lives. A table belongs to one repository: the functions there are the only way the rest of
// the core reads or writes it, so a change of column, index or invariant has one module to look at, and a query's
// cost is judged beside its siblings. test/unit/repositories.test.ts holds every module under src/main to this map
// (paths are relative to src/main); a new table gets its entry here with its migration.

export interface Repository {
  /** The modules that hold the table's SQL. */
  modules: readonly string[];
  /**
   * Other repositories that read the table to give names rather than ids (a group's members by username, a key's
   * account). They may select from it and join it; they never write it.
   */
  readBy?: readonly string[];
}

const PRINCIPALS = 'store/principals.ts';
const GROUPS = 'store/groups.ts';
const FLOWS = 'store/flows.ts';
const GRANTS = 'store/grants.ts';
const ACCESS_KEYS = 'store/accessKeys.ts';
const ITEMS = 'store/items.ts';
const INTEGRATIONS = 'store/integrations.ts';
const DESIGN_OBJECTS = 'store/designObjects.ts';
const PORTALS = 'store/portals.ts';
const PORTAL_KEYS = 'store/portalKeys.ts';

/** The audit log is its own repository: the writer, the auditor's queries, verification, export and forwarding. */
const AUDIT_LOG = [
  'audit/writer.ts',
  'audit/query.ts',
  'audit/verify.ts',
  'audit/verifyRange.ts',
  'audit/export.ts',
  'audit/anchor.ts',
  'audit/forward.ts',
];

export const REPOSITORIES = {
  settings: { modules: ['store/settings.ts'] },
  principals: { modules: [PRINCIPALS], readBy: [GROUPS, FLOWS, GRANTS, ACCESS_KEYS] },
  principal_roles: { modules: [PRINCIPALS] },
  groups: { modules: [GROUPS], readBy: [FLOWS] },
  group_members: { modules: [GROUPS] },
  flows: { modules: [FLOWS], readBy: [ITEMS, INTEGRATIONS] },
  flow_members: { modules: [FLOWS] },
  flow_impersonation_grants: { modules: [FLOWS] },
  shared_resource_grants: { modules: [GRANTS] },
  impersonation_sessions: { modules: ['store/impersonationSessions.ts'] },
  notices: { modules: ['store/notices.ts'] },
  access_key_failures: { modules: [ACCESS_KEYS] },
  access_key_locks: { modules: [ACCESS_KEYS] },
  access_keys: { modules: [ACCESS_KEYS] },
  items: { modules: [ITEMS] },
  flow_fields: { modules: ['store/flowFields.ts'] },
  integrations: { modules: [INTEGRATIONS], readBy: [ACCESS_KEYS] },
  design_objects: { modules: [DESIGN_OBJECTS], readBy: [PORTALS] },
  design_object_permissions: { modules: [DESIGN_OBJECTS] },
  portals: { modules: [PORTALS], readBy: [PORTAL_KEYS, ACCESS_KEYS] },
  portal_keys: { modules: [PORTAL_KEYS], readBy: [ACCESS_KEYS] },
  portal_uses: { modules: [PORTALS], readBy: [DESIGN_OBJECTS] },
  audit_log: { modules: AUDIT_LOG },
  audit_fts: { modules: AUDIT_LOG },
} as const satisfies Record<string, Repository>;

export type Table = keyof typeof REPOSITORIES;
