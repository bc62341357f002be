// Flow settings: members and their roles, per-flow impersonation access (R-K3, R-K4), and a Super
// Admin adding themself as Flow Admin (R-K4). Each change commits with its History record.
import { DeputyError } from '../kernel/errors';
import { authorize } from '../policy/authorize';
import { requirePrincipal } from '../directory/manage';
import { formatResource } from '../../shared/policy';
import { recordGrantChange } from '../deletions/record';
import { findGroup } from '../store/groups';
import type { FlowMemberRef } from '../deletions/grants';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';
import type { FlowDetail, FlowRole, FlowType } from '../../shared/model';

interface FlowRow {
  id: number;
  name: string;
  type: FlowType;
}

export function requireFlow(app: AppContext, name: string): FlowRow {
  const f = app.db.prepare(`SELECT id, name, type FROM flows WHERE name = ?`).get(name) as FlowRow | undefined;
  if (!f) throw new DeputyError('not_found', `There is no flow named ${name}.`, 'flow');
  return f;
}

export const resourceOf = (f: FlowRow) => ({ type: 'flow', name: f.name }) as const;

export function flowDetail(app: AppContext, name: string): FlowDetail {
  const f = requireFlow(app, name);
  const members = app.db
    .prepare(
      `SELECT p.username AS principal, p.kind AS kind, g.name AS grp, m.role FROM flow_members m
       LEFT JOIN principals p ON p.id = m.principal_id LEFT JOIN groups g ON g.id = m.group_id
       WHERE m.flow_id = ? ORDER BY coalesce(p.username, g.name)`,
    )
    .all(f.id) as { principal: string | null; kind: string | null; grp: string | null; role: FlowRole }[];
  const impersonation = app.db
    .prepare(
      `SELECT p.username FROM flow_impersonation_grants i JOIN principals p ON p.id = i.service_account_id
       WHERE i.flow_id = ? ORDER BY p.username`,
    )
    .pluck()
    .all(f.id) as string[];
  return {
    name: f.name,
    type: f.type,
    members: members.map((m) =>
      m.principal
        ? { principal: m.principal, service: m.kind === 'service', role: m.role }
        : { group: m.grp ?? '', role: m.role },
    ),
    impersonation,
  };
}

function memberIds(
  app: AppContext,
  ref: FlowMemberRef,
): { principalId: number | null; groupId: number | null; label: string; ref: FlowMemberRef } {
  if ('principal' in ref) {
    const p = requirePrincipal(app, ref.principal, 'principal');
    return { principalId: p.id, groupId: null, label: p.username, ref: { principal: p.username } };
  }
  const g = findGroup(app.db, ref.group);
  if (g === undefined) throw new DeputyError('not_found', `There is no group named ${ref.group}.`, 'group');
  return { principalId: null, groupId: g.id, label: `group ${g.name}`, ref: { group: g.name } };
}

/** Sets (role) or removes (null) a member's role in a flow. */
export function setFlowMember(
  app: AppContext,
  caller: Caller,
  flow: string,
  ref: FlowMemberRef,
  role: FlowRole | null,
): FlowDetail {
  const f = requireFlow(app, flow);
  authorize(app, caller, 'flow.members', resourceOf(f));
  const m = memberIds(app, ref);
  const where = `flow_id = ? AND principal_id IS ? AND group_id IS ?`;
  const old = (app.db
    .prepare(`SELECT role FROM flow_members WHERE ${where}`)
    .pluck()
    .get(f.id, m.principalId, m.groupId) ?? null) as FlowRole | null;
  if (old === role) throw new DeputyError('conflict', `${m.label} is already ${role ?? 'not a member'} in ${f.name}.`);
  return app.db.transaction(() => {
    if (role === null) app.db.prepare(`DELETE FROM flow_members WHERE ${where}`).run(f.id, m.principalId, m.groupId);
    else if (old === null) {
      app.db
        .prepare(`INSERT INTO flow_members (flow_id, principal_id, group_id, role) VALUES (?, ?, ?, ?)`)
        .run(f.id, m.principalId, m.groupId, role);
    } else app.db.prepare(`UPDATE flow_members SET role = ? WHERE ${where}`).run(role, f.id, m.principalId, m.groupId);
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
  const has = app.db
    .prepare(`SELECT 1 FROM flow_impersonation_grants WHERE flow_id = ? AND service_account_id = ?`)
    .get(f.id, sa.id);
  if (Boolean(has) === enabled) {
    throw new DeputyError(
      'conflict',
      `${sa.username} ${enabled ? 'already has' : 'has no'} impersonation access to ${f.name}.`,
    );
  }
  return app.db.transaction(() => {
    if (enabled)
      app.db
        .prepare(`INSERT INTO flow_impersonation_grants (flow_id, service_account_id) VALUES (?, ?)`)
        .run(f.id, sa.id);
    else
      app.db
        .prepare(`DELETE FROM flow_impersonation_grants WHERE flow_id = ? AND service_account_id = ?`)
        .run(f.id, sa.id);
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
  const where = `flow_id = ? AND principal_id = ?`;
  const old = (app.db.prepare(`SELECT role FROM flow_members WHERE ${where}`).pluck().get(f.id, caller.principalId) ??
    null) as FlowRole | null;
  if (old === 'flow_admin') throw new DeputyError('conflict', `You are already Flow Admin of ${f.name}.`);
  return app.db.transaction(() => {
    if (old) app.db.prepare(`UPDATE flow_members SET role = 'flow_admin' WHERE ${where}`).run(f.id, caller.principalId);
    else {
      app.db
        .prepare(`INSERT INTO flow_members (flow_id, principal_id, role) VALUES (?, ?, 'flow_admin')`)
        .run(f.id, caller.principalId);
    }
    app.audit.append({
      log: 'history',
      operator: caller.username,
      action: 'flow.addSelfAsAdmin',
      target: formatResource(resourceOf(f)),
      message: `${caller.username} added themself as Flow Admin of ${f.name} (was ${old ?? 'not a member'})`,
      details: { field: 'member', member: { principal: caller.username }, old, new: 'flow_admin' },
    });
    return flowDetail(app, f.name);
  })();
}
