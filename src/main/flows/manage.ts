// Flow settings: members and their roles, per-flow impersonation access (R-K3, R-K4), and a Super
// Admin adding themself as Flow Admin (R-K4). Each change commits with its History record.
import { DeputyError } from '../kernel/errors';
import { authorize } from '../policy/authorize';
import { requirePrincipal } from '../directory/manage';
import { formatResource } from '../../shared/policy';
import { recordGrantChange } from '../deletions/record';
import { findGroup, serviceAccountMembers } from '../store/groups';
import { refuseProgramReach } from '../policy/programReach';
import { flowFields } from '../store/flowFields';
import {
  deleteFlowMember,
  findFlow,
  flowImpersonators,
  flowMembers,
  grantFlowImpersonation,
  hasFlowImpersonation,
  insertFlowMember,
  makeFlowAdmin,
  memberRole,
  principalRole,
  revokeFlowImpersonation,
  selfAddedAdmins,
  updateFlowMemberRole,
  type FlowRow,
} from '../store/flows';
import type { FlowMemberRef } from './grantKinds';
import type { AppContext } from '../kernel/context';
import { effectiveIdentity, type Caller } from '../kernel/caller';
import type { FlowDetail, FlowRole, Principal } from '../../shared/model';

export function requireFlow(app: AppContext, name: string): FlowRow {
  const f = findFlow(app.db, name);
  if (!f) throw new DeputyError('not_found', `There is no flow named ${name}.`, 'flow');
  return f;
}

export const resourceOf = (f: FlowRow) => ({ type: 'flow', name: f.name }) as const;

export function flowDetail(app: AppContext, name: string): FlowDetail {
  const f = requireFlow(app, name);
  return {
    name: f.name,
    type: f.type,
    members: flowMembers(app.db, f.id).map((m) =>
      m.principal
        ? { principal: m.principal, service: m.kind === 'service', role: m.role }
        : { group: m.grp ?? '', role: m.role },
    ),
    impersonation: flowImpersonators(app.db, f.id),
    fields: flowFields(app.db, f.id),
    selfAdded: selfAddedAdmins(app.db, f.id),
  };
}

function memberIds(
  app: AppContext,
  ref: FlowMemberRef,
): {
  principalId: number | null;
  groupId: number | null;
  label: string;
  ref: FlowMemberRef;
  principal?: Pick<Principal, 'kind' | 'status'>;
} {
  if ('principal' in ref) {
    const p = requirePrincipal(app, ref.principal, 'principal');
    return { principalId: p.id, groupId: null, label: p.username, ref: { principal: p.username }, principal: p };
  }
  const g = findGroup(app.db, ref.group);
  if (g === undefined) throw new DeputyError('not_found', `There is no group named ${ref.group}.`, 'group');
  return { principalId: null, groupId: g.id, label: `group ${g.name}`, ref: { group: g.name } };
}

const ROLE_LABEL: Record<FlowRole, string> = {
  flow_admin: 'Flow Admin',
  initiator: 'initiator',
  participant: 'participant',
  viewer: 'viewer',
};

/**
 * Why `p` may not be given a flow role: only people, guests and service accounts that are not inactive act in a flow
 * (a locked person is only locked until the lockout ends or someone unlocks them). A system user acts for Deputy
 * itself, never as a member.
 */
function memberRefusal(label: string, p: Pick<Principal, 'kind' | 'status'>): string | null {
  if (p.kind === 'system') return `${label} is a system user, which cannot hold a flow role.`;
  if (p.status === 'inactive') return `${label} is inactive and cannot hold a flow role; activate them first.`;
  return null;
}

/**
 * Sets (role) or removes (null) a member's role in a flow. `adding`: the caller means to add a new member (the Add
 * member form), so an existing member's role is not changed silently: it is refused, saying the role they hold.
 */
export function setFlowMember(
  app: AppContext,
  caller: Caller,
  flow: string,
  ref: FlowMemberRef,
  role: FlowRole | null,
  adding = false,
): FlowDetail {
  const f = requireFlow(app, flow);
  authorize(app, caller, 'flow.members', resourceOf(f));
  const m = memberIds(app, ref);
  const old = memberRole(app.db, f.id, m.principalId, m.groupId);
  if (adding && old !== null) {
    throw new DeputyError(
      'conflict',
      `${m.label} is already a member of ${f.name} as ${ROLE_LABEL[old]}${
        role !== null && role !== old ? ` — change their role to ${ROLE_LABEL[role]}?` : '.'
      }`,
      'member',
    );
  }
  if (old === role) throw new DeputyError('conflict', `${m.label} is already ${role ?? 'not a member'} in ${f.name}.`);
  const refusal = old === null && m.principal ? memberRefusal(m.label, m.principal) : null;
  if (refusal) throw new DeputyError('invalid_input', refusal, 'member');
  if (m.principal?.kind === 'service') refuseProgramReach(caller, `${m.label}'s role in ${f.name}`);
  // Looked up for programs only: a person may give any group a role.
  const services = caller.kind === 'service' && m.groupId !== null ? serviceAccountMembers(app.db, m.groupId) : [];
  if (services.length) {
    refuseProgramReach(caller, `the role of ${m.label} in ${f.name}: its members include ${services.join(', ')}`);
  }
  // Nor does a program take a flow from its people: its impersonation access is for a person who is its Flow Admin
  // to decide (R-K4), and a program never can, so the last person who is one stays one.
  if (caller.kind === 'service' && old === 'flow_admin' && role !== 'flow_admin' && m.principal?.kind === 'human') {
    const others = flowMembers(app.db, f.id).filter(
      (x) => x.role === 'flow_admin' && x.kind === 'human' && x.principal !== m.label,
    );
    if (!others.length) {
      throw new DeputyError(
        'forbidden',
        `A program cannot remove ${m.label} as Flow Admin of ${f.name}: no other person is, and a person decides ` +
          `its impersonation access.`,
        undefined,
        false,
        'R-K4',
      );
    }
  }
  return app.db.transaction(() => {
    if (role === null) deleteFlowMember(app.db, f.id, m.principalId, m.groupId);
    else if (old === null) insertFlowMember(app.db, f.id, m.principalId, m.groupId, role);
    else updateFlowMemberRole(app.db, f.id, m.principalId, m.groupId, role);
    recordGrantChange(app, caller, {
      // A removal always had a role: setting the same role (none) again was refused above.
      grant: { type: 'flowMember', flow: f.name, member: m.ref, role: (old ?? role)! },
      removed: role === null,
      action: 'flow.members',
      target: formatResource(resourceOf(f)),
      message: `${f.name}: ${m.label} ${old ?? '(not a member)'} → ${role ?? '(not a member)'}`,
      history: { field: 'member', member: m.ref, old, new: role },
    });
    return flowDetail(app, f.name);
  })();
}

/** R-K3, R-K4: grants or revokes a service account's impersonation access to a flow. */
export function setFlowImpersonation(
  app: AppContext,
  caller: Caller,
  flow: string,
  serviceAccount: string,
  enabled: boolean,
): FlowDetail {
  const f = requireFlow(app, flow);
  authorize(app, caller, 'flow.impersonation', resourceOf(f));
  const sa = requirePrincipal(app, serviceAccount, 'serviceAccount');
  if (sa.kind !== 'service') {
    throw new DeputyError('invalid_input', `${sa.username} is not a service account.`, 'serviceAccount');
  }
  if (hasFlowImpersonation(app.db, f.id, sa.id) === enabled) {
    throw new DeputyError(
      'conflict',
      `${sa.username} ${enabled ? 'already has' : 'has no'} impersonation access to ${f.name}.`,
    );
  }
  return app.db.transaction(() => {
    if (enabled) grantFlowImpersonation(app.db, f.id, sa.id);
    else revokeFlowImpersonation(app.db, f.id, sa.id);
    recordGrantChange(app, caller, {
      grant: { type: 'flowImpersonation', flow: f.name, serviceAccount: sa.username },
      removed: !enabled,
      action: 'flow.impersonation',
      target: formatResource(resourceOf(f)),
      message: `${f.name}: impersonation access for ${sa.username} ${enabled ? 'granted' : 'revoked'}`,
      history: { field: 'impersonation', serviceAccount: sa.username, old: false, new: true },
    });
    return flowDetail(app, f.name);
  })();
}

/** R-K4: a Super Admin may make themself Flow Admin of any flow first; recorded. */
export function addSelfAsFlowAdmin(app: AppContext, caller: Caller, flow: string): FlowDetail {
  const f = requireFlow(app, flow);
  authorize(app, caller, 'flow.addSelfAsAdmin', resourceOf(f));
  // Self is whom the caller acts as: an operator impersonating a Super Admin adds that user, not themself (R-S9).
  const me = effectiveIdentity(caller);
  const old = principalRole(app.db, f.id, me.principalId);
  if (old === 'flow_admin') throw new DeputyError('conflict', `You are already Flow Admin of ${f.name}.`);
  return app.db.transaction(() => {
    makeFlowAdmin(app.db, f.id, me.principalId, old);
    app.audit.append({
      log: 'history',
      operator: caller.username,
      action: 'flow.addSelfAsAdmin',
      target: formatResource(resourceOf(f)),
      message: `${me.username} added themself as Flow Admin of ${f.name} (was ${old ?? 'not a member'})`,
      details: { field: 'member', member: { principal: me.username }, old, new: 'flow_admin' },
    });
    return flowDetail(app, f.name);
  })();
}

/**
 * Undoes the caller's own R-K4 self-addition: back to the role they held before it (or no role). Offered once the
 * Super Admin has done what they needed the role for; only while that membership has not been changed since.
 */
export function removeSelfAsFlowAdmin(app: AppContext, caller: Caller, flow: string): FlowDetail {
  const f = requireFlow(app, flow);
  authorize(app, caller, 'flow.members', resourceOf(f));
  const me = effectiveIdentity(caller);
  const mine = selfAddedAdmins(app.db, f.id).find((s) => s.principal === me.username);
  if (!mine) {
    throw new DeputyError(
      'conflict',
      `You are not Flow Admin of ${f.name} by your own addition (or your role there was changed since): change members under Members instead.`,
    );
  }
  return app.db.transaction(() => {
    if (mine.was === null) deleteFlowMember(app.db, f.id, me.principalId, null);
    else updateFlowMemberRole(app.db, f.id, me.principalId, null, mine.was);
    app.audit.append({
      log: 'history',
      operator: caller.username,
      action: 'flow.removeSelfAsAdmin',
      target: formatResource(resourceOf(f)),
      message: `${me.username} removed their own Flow Admin addition to ${f.name} (back to ${mine.was ?? 'not a member'})`,
      details: { field: 'member', member: { principal: me.username }, old: 'flow_admin', new: mine.was },
    });
    return flowDetail(app, f.name);
  })();
}
