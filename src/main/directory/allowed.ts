// Who may change whom in the directory. The services refuse with these checks, and the listing runs the
// same checks to tell the window which controls to offer: the button shown and the check enforced are one
// code path, so they cannot drift apart. The checks are pure; the facts they read are gathered beforehand.
import { countActiveSuperAdmins } from '../store/principals';
import { openSessionPairs } from '../store/impersonationSessions';
import { DeputyError } from '../kernel/errors';
import { decide } from '../policy/decide';
import { requestFor } from '../policy/authorize';
import { ADMIN_ROLES, accountRights, type AccountPermission } from '../policy/catalog';
import {
  ACCOUNT_ROLES,
  PRINCIPAL_STATUSES,
  principalLabel,
  type AccountRole,
  type Principal,
  type PrincipalActions,
  type PrincipalStatus,
} from '../../shared/model';
import type { ApiError } from '../../shared/result';
import { factsOf, type Action } from '../../shared/policy';
import type { PolicyData } from '../kernel/policyData';
import type { AppContext } from '../kernel/context';
import { effectiveIdentity, type Caller } from '../kernel/caller';

/** The state beyond the caller and the principal that the checks depend on. */
export interface DirectoryFacts {
  policy: PolicyData;
  activeSuperAdmins: number;
  /** Impersonation sessions still running: deleting either party would pull a session from under it. */
  openSessions: readonly { operator: string; target: string }[];
}

/** What the checks read of a principal. */
export type Target = Pick<Principal, 'username' | 'displayName' | 'kind' | 'status' | 'roles'>;

/** A refusal as plain data: the listing asks thousands of questions and needs no stack for each answer. */
export type Refusal = ApiError;

/** Reads the facts once: for one service call, or for a whole listed page. */
export function directoryFacts(app: AppContext): DirectoryFacts {
  return {
    policy: app.policy(),
    activeSuperAdmins: countActiveSuperAdmins(app.db),
    openSessions: openSessionPairs(app.db),
  };
}

/** Throws a refusal the way every service reports one. */
export function enforce(refusal: Refusal | null): void {
  if (refusal) throw new DeputyError(refusal.code, refusal.message, refusal.field, false, refusal.rule);
}

const refuse = (code: Refusal['code'], message: string, field?: string, rule?: string): Refusal => ({
  code,
  message,
  ...(field === undefined ? {} : { field }),
  ...(rule === undefined ? {} : { rule }),
});

/** Account roles that grant rights the caller lacks, and those rights. */
export interface Beyond {
  roles: AccountRole[];
  rights: AccountPermission[];
}

/**
 * No escalation (R-K7, R-S2): the account roles among `roles` that the caller may not hand out or take away, because
 * they grant a right the caller's own roles do not, with those rights. Rights, not role names: an IAM Admin, whose
 * rights include all of a User Admin's, hands out user_admin; a Super Admin holds every right. While impersonating,
 * the impersonated user's roles count (R-S9).
 */
export function rolesBeyond(caller: Caller, roles: readonly AccountRole[]): Beyond | null {
  const own = accountRights(effectiveIdentity(caller).roles);
  const lacking = (r: AccountRole) => [...accountRights([r])].filter((right) => !own.has(right));
  const beyond = roles.filter((r) => lacking(r).length > 0);
  return beyond.length ? { roles: beyond, rights: [...new Set(beyond.flatMap(lacking))] } : null;
}

/** "their roles (auditor) grant audit.read, audit.export": what a refusal names, so the operator sees which right. */
export const theirRolesGrant = (b: Beyond, verb = 'grant') =>
  `their roles (${b.roles.join(', ')}) ${verb} ${b.rights.join(', ')}`;

/** Service accounts are managed under R-K1; everyone else under directory.write. */
export const changeAction = (p: Pick<Target, 'kind'>): Action =>
  p.kind === 'service' ? 'serviceAccount.update' : 'directory.write';

/**
 * decide()'s answer, as the services' authorize() asks it. A service authorizes first (that records the
 * refusal, R-L3), so there this never refuses; it is here so that the listing asks the very same question.
 */
function decided(facts: DirectoryFacts, caller: Caller, action: Action): Refusal | null {
  const d = decide(facts.policy, requestFor(caller, action));
  // The same sentence and rule as authorize()'s refusal: the rule apart from the sentence, not dropped.
  return d.allowed ? null : refuse('forbidden', `You may not do this: ${factsOf(d)}.`, undefined, d.reasons[0]?.rule);
}

/**
 * Whether `p` is the caller themself: the person at the window, or the user the caller acts for, who could not
 * make this change to themself by hand either (R-S9, R-K7).
 */
const isSelf = (caller: Caller, p: Target) =>
  p.username === caller.username || p.username === effectiveIdentity(caller).username;

/** No escalation, refused: a program is told the rule that bounds it to the user's own rights (R-K7). */
const beyondRights = (caller: Caller, text: string): Refusal =>
  caller.kind === 'service'
    ? refuse(
        'forbidden',
        `${text}; ${caller.username} acts within ${caller.onBehalfOf.username}'s own rights.`,
        undefined,
        'R-K7',
      )
    : refuse('forbidden', `${text}.`);

const lastActiveSuperAdmin = (p: Target): Refusal =>
  refuse('conflict', `${principalLabel(p)} is the last active Super Admin; make another one first.`);

/** Activate, deactivate or unlock. */
export function statusRefusal(
  facts: DirectoryFacts,
  caller: Caller,
  p: Target,
  status: PrincipalStatus,
): Refusal | null {
  const denied = decided(facts, caller, changeAction(p));
  if (denied) return denied;
  if (p.status === status) return refuse('conflict', `${principalLabel(p)} is already ${status}.`);
  if (status === 'locked') {
    return refuse(
      'invalid_input',
      'Accounts are locked by failed sign-ins, not by hand; deactivate instead.',
      'status',
    );
  }
  if (isSelf(caller, p)) return refuse('conflict', 'You cannot change your own status.');
  // Deactivating takes someone's rights away and activating or unlocking gives them back: not over roles whose rights
  // the caller lacks (R-K7, R-S2), as for a rename or a deletion.
  const beyond = rolesBeyond(caller, p.roles);
  if (beyond) {
    const verb = status === 'inactive' ? 'deactivate' : p.status === 'locked' ? 'unlock' : 'activate';
    return beyondRights(caller, `You may not ${verb} ${p.username}: ${theirRolesGrant(beyond)}, which yours do not`);
  }
  if (status !== 'active' && p.roles.includes('super_admin') && facts.activeSuperAdmins <= 1) {
    return lastActiveSuperAdmin(p);
  }
  return null;
}

/** The roles `p` would hold, and what that adds and removes. */
export function roleChange(p: Target, roles: readonly AccountRole[]) {
  const next = [...new Set(roles)].sort();
  return {
    next,
    added: next.filter((r) => !p.roles.includes(r)),
    removed: p.roles.filter((r) => !next.includes(r)),
  };
}

/** Sets `p`'s account roles to exactly `roles`. */
export function rolesRefusal(
  facts: DirectoryFacts,
  caller: Caller,
  p: Target,
  roles: readonly AccountRole[],
): Refusal | null {
  const denied = decided(facts, caller, 'directory.write');
  if (denied) return denied;
  if (p.kind !== 'human') {
    return refuse('invalid_input', `Only people hold account roles; ${p.username} is a ${p.kind} principal.`, 'roles');
  }
  const { added, removed } = roleChange(p, roles);
  if (added.length + removed.length === 0) {
    return refuse('conflict', `${principalLabel(p)} already holds exactly these roles.`);
  }
  const beyond = rolesBeyond(caller, [...added, ...removed]);
  if (beyond) {
    const it = beyond.roles.length === 1 ? 'it grants' : 'they grant';
    return beyondRights(
      caller,
      `You may not grant or remove ${beyond.roles.join(', ')}: ${it} ${beyond.rights.join(', ')}, which your roles do not`,
    );
  }
  if (removed.includes('super_admin') && p.status === 'active' && facts.activeSuperAdmins <= 1) {
    return lastActiveSuperAdmin(p);
  }
  if (isSelf(caller, p) && removed.some((r) => ADMIN_ROLES.includes(r))) {
    return refuse('conflict', 'You cannot remove your own administrator role; ask another administrator.');
  }
  return null;
}

/** Deletes a person or a guest (service accounts are deleted under Service accounts). */
export function deleteRefusal(facts: DirectoryFacts, caller: Caller, p: Target): Refusal | null {
  const denied = decided(facts, caller, 'directory.write');
  if (denied) return denied;
  if (p.kind === 'service') {
    return refuse('invalid_input', `${p.username} is a service account: delete it under Service accounts.`);
  }
  if (p.kind === 'system') return refuse('conflict', `${p.username} is a system user: Deputy keeps it.`);
  if (isSelf(caller, p)) return refuse('conflict', 'You cannot delete yourself.');
  // Deleting someone takes their roles away.
  const beyond = rolesBeyond(caller, p.roles);
  if (beyond) {
    return beyondRights(caller, `You may not delete ${p.username}: ${theirRolesGrant(beyond)}, which yours do not`);
  }
  const session = facts.openSessions.find((s) => s.operator === p.username || s.target === p.username);
  if (session) {
    return refuse(
      'conflict',
      `${session.operator} is impersonating ${session.target} right now; delete ${p.username} after that session ends.`,
    );
  }
  return null;
}

/** Sets a person's password. */
export function passwordRefusal(facts: DirectoryFacts, caller: Caller, p: Target): Refusal | null {
  const denied = decided(facts, caller, 'directory.write');
  if (denied) return denied;
  if (p.kind !== 'human') {
    return refuse('invalid_input', `Only people sign in; ${p.username} is a ${p.kind} principal.`, 'username');
  }
  // Signed in already, a password change by hand would let anyone at this window take the account over.
  if (isSelf(caller, p)) {
    return refuse('conflict', 'You cannot set your own password here; ask another administrator.');
  }
  // Whoever sets a password can sign in as that person, so only over roles the setter holds too.
  const beyond = rolesBeyond(caller, p.roles);
  if (beyond) {
    return beyondRights(
      caller,
      `You may not set ${p.username}'s password: ${theirRolesGrant(beyond)}, which yours do not`,
    );
  }
  return null;
}

/** Changes a display name (service accounts under R-K1, like their other details). */
export function renameRefusal(facts: DirectoryFacts, caller: Caller, p: Target, displayName: string): Refusal | null {
  const denied = decided(facts, caller, changeAction(p));
  if (denied) return denied;
  if (displayName.trim() === '') {
    return refuse('invalid_input', 'Enter a display name: it cannot be empty.', 'displayName');
  }
  if (p.displayName === displayName) {
    return refuse('conflict', `${p.username} already has the display name ${displayName}.`, 'displayName');
  }
  // A name is what others trust when they pick someone (R-S3): not over roles the renamer does not hold.
  const beyond = rolesBeyond(caller, p.roles);
  if (beyond && !isSelf(caller, p)) {
    return beyondRights(caller, `You may not rename ${p.username}: ${theirRolesGrant(beyond)}, which yours do not`);
  }
  return null;
}

/**
 * What the caller may do to `p`: each answer is "the service would not refuse". A set of role changes is
 * refused exactly when one of its single changes is (each check above looks at one role at a time), so
 * the roles that may be toggled one by one may also be toggled together.
 */
export function allowedActions(facts: DirectoryFacts, caller: Caller, p: Target): PrincipalActions {
  const toggled = (r: AccountRole) => (p.roles.includes(r) ? p.roles.filter((x) => x !== r) : [...p.roles, r]);
  return {
    statuses: PRINCIPAL_STATUSES.filter((s) => !statusRefusal(facts, caller, p, s)),
    roles: ACCOUNT_ROLES.filter((r) => !rolesRefusal(facts, caller, p, toggled(r))),
    delete: !deleteRefusal(facts, caller, p),
    setPassword: !passwordRefusal(facts, caller, p),
    // Any other name than the current one: the listing asks whether a rename as such would be accepted.
    rename: !renameRefusal(facts, caller, p, `${p.displayName} (renamed)`),
  };
}
