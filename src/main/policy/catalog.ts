// The one role catalog: which flow role and which account role grants which permission.
import type { AccountRole, FlowRole } from '../../shared/model';
import type { AccountAction, Action, FlowAction } from '../../shared/policy';

export const FLOW_ROLE_PERMISSIONS: Record<FlowRole, readonly FlowAction[]> = {
  flow_admin: [
    'item.read',
    'item.create',
    'item.update',
    'item.complete',
    'item.delete',
    'flow.settings',
    'flow.members',
    'flow.impersonation',
  ],
  initiator: ['item.read', 'item.create'],
  participant: ['item.read', 'item.update', 'item.complete'],
  viewer: ['item.read'],
};

export type AccountPermission = Exclude<AccountAction, 'myItems.read'> | 'session.start' | 'flow.addSelfAsAdmin';

export const ACCOUNT_ROLE_PERMISSIONS: Record<AccountRole, readonly AccountPermission[]> = {
  super_admin: [
    'directory.read',
    'directory.write',
    'serviceAccount.create',
    'serviceAccount.update',
    'serviceAccount.delete',
    'sharedResource.grant',
    'audit.read',
    'audit.export',
    'settings.update',
    'flows.list',
    'flow.addSelfAsAdmin',
    'policy.export',
    'policy.import',
  ],
  iam_admin: [
    'directory.read',
    'directory.write',
    'serviceAccount.create',
    'serviceAccount.update',
    'serviceAccount.delete',
    'sharedResource.grant',
    'settings.update',
    'policy.export',
  ],
  user_admin: ['directory.read', 'directory.write'],
  auditor: ['directory.read', 'audit.read', 'audit.export', 'policy.export'],
  impersonator: ['directory.read', 'session.start'],
};

/** The RULES.md id behind an account-level permission, where a rule names it. */
export const ACCOUNT_RULE: Partial<Record<Action, string>> = {
  'serviceAccount.create': 'R-K1',
  'serviceAccount.update': 'R-K1',
  'serviceAccount.delete': 'R-K1',
  'sharedResource.grant': 'R-K1',
  'session.start': 'R-S1',
  'flow.addSelfAsAdmin': 'R-K4',
};

export const ADMIN_ROLES: readonly AccountRole[] = ['super_admin', 'iam_admin', 'user_admin'];
/** R-K7: the account roles a service account must impersonate to change users and groups. */
export const USER_GROUP_ADMIN_ROLES = ADMIN_ROLES;

/** Every right an account role can grant. */
export const ALL_ACCOUNT_RIGHTS: readonly AccountPermission[] = [
  ...new Set(Object.values(ACCOUNT_ROLE_PERMISSIONS).flat()),
];

/**
 * The account rights a set of roles grants, for comparing people by what they may do rather than by role names
 * (R-S2). A Super Admin holds every right.
 */
export function accountRights(roles: readonly AccountRole[]): ReadonlySet<AccountPermission> {
  if (roles.includes('super_admin')) return new Set(ALL_ACCOUNT_RIGHTS);
  return new Set(roles.flatMap((r) => ACCOUNT_ROLE_PERMISSIONS[r]));
}
